package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Digests over real SMTP and WebAdmin: three regular members, one MIME and one plain digest member; the size threshold
 * closes issue 1 after three posts, {@code POST …/digest?action=send} sends issue 2; regular members get every post
 * singly and no digest, digest members no single post; {@code set digest} by mail, and "one last digest" for a member
 * who switches back to single posts while an issue is open.
 */
class DigestEndToEndTest {
    private static final String LIST = "team@lists.example.org";
    private static final String REQUEST = "team-request@lists.example.org";
    private static final List<String> REGULAR = List.of("r1@member.example", "r2@member.example", "r3@member.example");
    private static final String MIME = "mime@member.example";
    private static final String PLAIN = "plain@member.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMAND_RESULTS = "The results of your email commands";

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();

    private static void send(String from, String to, String raw) throws Exception {
        assertThat(SERVER.post(from, List.of(to), raw).accepted()).isTrue();
    }

    private static String post(int number, String extraHeaders) {
        // about 1.5 KiB as delivered: three posts cross the 4 KiB threshold, two do not
        return "From: Ann <ann@member.example>\nTo: " + LIST + "\nSubject: Topic " + number + "\nMessage-ID: <digest-" + number
            + "@member.example>\nDate: Sat, 05 Dec 2026 10:00:00 +0000\n" + extraHeaders
            + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nBody of post " + number + ".\n"
            + ("Some words to give the post its weight. ".repeat(20) + "\n");
    }

    private static void sendPost(int number, String extraHeaders) throws Exception {
        send("ann@member.example", LIST, post(number, extraHeaders));
    }

    private static String command(String from, String extraHeaders, String command) {
        return "From: " + from + "\nTo: " + REQUEST + "\nSubject: " + command + "\nMessage-ID: <" + command.replace(' ', '-') + "-"
            + from + ">\n" + extraHeaders + "\nend\n";
    }

    private static List<ListkeeperServer.Delivery> digestsTo(String recipient) {
        return SERVER.deliveriesTo(recipient).stream().filter(d -> d.header("Subject").startsWith("Team Digest"))
            .collect(Collectors.toList());
    }

    private static JsonNode digest() throws Exception {
        return JSON.readTree(SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + LIST + "/digest")).body());
    }

    @Test
    void digestMembersShouldGetEachIssueOnceAndRegularMembersEveryPostSingly() throws Exception {
        SERVER.createList(LIST, "{\"displayName\":\"Team\",\"digestSizeThreshold\":4,\"footer\":\"\"}",
            "r1@member.example", "r2@member.example", "r3@member.example", MIME, PLAIN);
        SERVER.webAdmin().expect(204, SERVER.webAdmin().patch("/lists/" + LIST + "/members/" + PLAIN, "{\"digest\":\"plain\"}"));
        // set digest by mail: a robot's command is dropped unanswered, the member's own is carried out and answered once
        send(MIME, REQUEST, command(MIME, "Auto-Submitted: auto-replied\n", "set digest plain"));
        send(MIME, REQUEST, command(MIME, "", "set digest mime"));
        List<ListkeeperServer.Delivery> answers = SERVER.awaitDeliveriesTo(MIME, 1);
        assertThat(answers).singleElement().satisfies(answer -> {
            assertThat(answer.header("Subject")).isEqualTo(COMMAND_RESULTS);
            assertThat(answer.body()).contains("Done: you now receive MIME digests");
        });
        assertThat(JSON.readTree(SERVER.webAdmin().get("/lists/" + LIST + "/members/" + MIME).body()).get("digest").asText())
            .isEqualTo("mime");

        sendPost(1, "");
        SERVER.awaitDeliveries("<digest-1@member.example>", 3);
        sendPost(2, "");
        SERVER.awaitDeliveries("<digest-2@member.example>", 3);
        JsonNode beforeThird = digest().get("open");
        assertThat(beforeThird.get("posts").asInt()).isEqualTo(2);
        assertThat(beforeThird.get("size").asLong()).isLessThan(4096);
        sendPost(3, "In-Reply-To: <digest-1@member.example>\n");
        SERVER.awaitDeliveries("<digest-3@member.example>", 3);

        await().atMost(Duration.ofSeconds(60)).until(() -> digestsTo(MIME).size() == 1 && digestsTo(PLAIN).size() == 1);
        MimeMessage mime = digestsTo(MIME).get(0).message;
        assertThat(mime.getSubject()).isEqualTo("Team Digest, Vol 1, Issue 1");
        assertThat(mime.getHeader("List-Id", null)).isEqualTo("Team <team.lists.example.org>");
        Multipart posts = digestPart(mime);
        assertThat(posts.getCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            BodyPart part = posts.getBodyPart(i);
            assertThat(part.isMimeType("message/rfc822")).isTrue();
            MimeMessage attached = (MimeMessage) part.getContent();
            assertThat(attached.getMessageID()).isEqualTo("<digest-" + (i + 1) + "@member.example>");
            assertThat(attached.getSubject()).isEqualTo("[Team] Topic " + (i + 1));
        }
        assertThat(contents(mime)).contains("   1. [Team] Topic 1 (Ann <ann@member.example>)").contains("   3. [Team] Topic 3");
        String plain = plainText(digestsTo(PLAIN).get(0).message);
        assertThat(digestsTo(PLAIN).get(0).header("Subject")).isEqualTo("Team Digest, Vol 1, Issue 1");
        assertThat(plain).contains("Today's Topics:\n\n   1. [Team] Topic 1 (Ann <ann@member.example>)\n")
            .contains("\n" + "-".repeat(70) + "\n\nMessage: 1\nDate: Sat, 05 Dec 2026 10:00:00 +0000\nFrom: Ann <ann@member.example>\n")
            .contains("\n" + "-".repeat(30) + "\n\nMessage: 2\n").contains("\n" + "-".repeat(30) + "\n\nMessage: 3\n")
            .contains("Body of post 3.");
        assertThat(plain.stripTrailing()).endsWith("\n" + "-".repeat(30) + "\n\nEnd of Team Digest, Vol 1, Issue 1\n" + "*".repeat(34));
        assertThat(digest().get("recent").get(0).get("state").asText()).isEqualTo("sent");

        // the plain member goes back to single posts while issue 2 is open: issue 2 still reaches them, as plain
        sendPost(4, "");
        SERVER.awaitDeliveries("<digest-4@member.example>", 3);
        send(PLAIN, REQUEST, command(PLAIN, "", "set digest off"));
        await().atMost(Duration.ofSeconds(60)).until(() -> SERVER.deliveriesTo(PLAIN).stream()
            .anyMatch(d -> COMMAND_RESULTS.equals(d.header("Subject"))));
        sendPost(5, "");
        SERVER.awaitDeliveries("<digest-5@member.example>", 4);
        JsonNode open = digest().get("open");
        assertThat(open.get("number").asInt()).isEqualTo(2);
        assertThat(open.get("posts").asInt()).isEqualTo(2);

        JsonNode sent = JSON.readTree(SERVER.webAdmin().expect(202, SERVER.webAdmin().post("/lists/" + LIST + "/digest?action=send",
            "", "application/json")).body());
        assertThat(sent.get("number").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> digestsTo(MIME).size() == 2 && digestsTo(PLAIN).size() == 2);
        ListkeeperServer.Delivery second = digestsTo(MIME).stream().filter(d -> d.header("Subject").endsWith("Issue 2")).findFirst()
            .orElseThrow();
        assertThat(digestPart(second.message).getCount()).isEqualTo(2);
        assertThat(plainText(digestsTo(PLAIN).stream().filter(d -> d.header("Subject").endsWith("Issue 2")).findFirst().orElseThrow()
            .message)).contains("Message: 1").contains("Body of post 4.").contains("Body of post 5.");
        SERVER.webAdmin().expect(204, SERVER.webAdmin().post("/lists/" + LIST + "/digest?action=send", "", "application/json"));

        // settle, then count everything each member received
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> digestsTo(MIME).size() == 2);
        for (String member : REGULAR) {
            List<String> subjects = SERVER.deliveriesTo(member).stream().map(d -> d.header("Message-ID")).collect(Collectors.toList());
            assertThat(subjects).as(member).containsExactlyInAnyOrder("<digest-1@member.example>", "<digest-2@member.example>",
                "<digest-3@member.example>", "<digest-4@member.example>", "<digest-5@member.example>");
        }
        assertThat(SERVER.deliveriesTo(MIME)).extracting(d -> d.header("Subject")).containsExactlyInAnyOrder(COMMAND_RESULTS,
            "Team Digest, Vol 1, Issue 1", "Team Digest, Vol 1, Issue 2");
        // the plain member: issue 1, their answer, post 5 singly (after the switch), and issue 2 as one last digest
        assertThat(SERVER.deliveriesTo(PLAIN)).extracting(d -> d.header("Subject")).containsExactlyInAnyOrder(
            "Team Digest, Vol 1, Issue 1", COMMAND_RESULTS, "[Team] Topic 5", "Team Digest, Vol 1, Issue 2");
    }

    private static Multipart digestPart(MimeMessage message) throws Exception {
        Multipart mixed = (Multipart) message.getContent();
        for (int i = 0; i < mixed.getCount(); i++) {
            if (mixed.getBodyPart(i).isMimeType("multipart/digest")) {
                return (Multipart) mixed.getBodyPart(i).getContent();
            }
        }
        throw new AssertionError("no multipart/digest part");
    }

    private static String contents(MimeMessage message) throws Exception {
        Multipart mixed = (Multipart) message.getContent();
        for (int i = 0; i < mixed.getCount(); i++) {
            String description = ((javax.mail.internet.MimeBodyPart) mixed.getBodyPart(i)).getDescription();
            if (description != null && description.startsWith("Today's Topics")) {
                return (String) mixed.getBodyPart(i).getContent();
            }
        }
        throw new AssertionError("no table of contents");
    }

    private static String plainText(MimeMessage message) throws Exception {
        assertThat(message.isMimeType("text/plain")).isTrue();
        return ((String) message.getContent()).replace("\r\n", "\n");
    }
}
