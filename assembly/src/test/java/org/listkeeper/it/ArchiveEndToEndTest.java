package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The archive over real SMTP and WebAdmin: posts archived under their numbers with their threads, Archived-At on
 * every copy, one message, a month as mbox, search, a takedown, and an mbox import as a task.
 */
class ArchiveEndToEndTest {
    private static final String PUBLIC_URL = "https://lists.example.org";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().publicBaseUrl(PUBLIC_URL + "/").build();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String post(String list, String messageId, String subject, String extraHeaders, String body) {
        return "From: Ann <ann@member.example>\nTo: " + list + "\nSubject: " + subject + "\nMessage-ID: " + messageId + "\n"
            + "Date: Sat, 05 Dec 2026 10:00:00 +0000\n" + extraHeaders + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n"
            + body + "\n";
    }

    private static void send(String list, String messageId, String subject, String extraHeaders, String body) throws Exception {
        assertThat(SERVER.post("ann@member.example", List.of(list), post(list, messageId, subject, extraHeaders, body)).accepted())
            .isTrue();
    }

    @Test
    void postsShouldBeArchivedThreadedFoundExportedAndTakenDown() throws Exception {
        String list = "arch@lists.example.org";
        SERVER.createList(list, "{\"archivePolicy\":\"public\",\"footer\":\"\"}", "ann@member.example", "bob@member.example");
        send(list, "<arch-1@member.example>", "Garden plans", "", "Let us plan the garden.");
        SERVER.awaitDeliveries("<arch-1@member.example>", 2);
        send(list, "<arch-2@member.example>", "Tools", "", "Who has a zeppelin-shaped watering can?");
        SERVER.awaitDeliveries("<arch-2@member.example>", 2);
        send(list, "<arch-3@member.example>", "Re: Garden plans", "In-Reply-To: <arch-1@member.example>\n", "Tulips, please.");

        List<ListkeeperServer.Delivery> replies = SERVER.awaitDeliveries("<arch-3@member.example>", 2);
        JsonNode entries = json(SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + list + "/archive")));
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).get("number").asLong()).isEqualTo(1);
        assertThat(entries.get(1).get("number").asLong()).isEqualTo(2);
        assertThat(entries.get(2).get("number").asLong()).isEqualTo(3);
        assertThat(entries.get(2).get("messageId").asText()).isEqualTo("<arch-3@member.example>");
        assertThat(entries.get(2).get("threadId").asLong()).isEqualTo(1);
        assertThat(entries.get(2).get("inReplyTo").asText()).isEqualTo("<arch-1@member.example>");
        assertThat(entries.get(1).get("threadId").asLong()).isEqualTo(2);
        assertThat(entries.get(0).get("author").asText()).isEqualTo("Ann");
        assertThat(entries.get(0).has("address")).isFalse();
        assertThat(json(SERVER.webAdmin().get("/lists/" + list + "/archive?private=true")).get(0).get("address").asText())
            .isEqualTo("ann@member.example");
        for (int number = 1; number <= 3; number++) {
            String messageId = "<arch-" + number + "@member.example>";
            assertThat(SERVER.deliveriesOf(messageId)).hasSize(2).allSatisfy(copy -> assertThat(copy.header("Archived-At"))
                .isEqualTo("<" + PUBLIC_URL + "/lists/" + list + "/archive/" + entryNumber(messageId) + ">"));
        }
        assertThat(replies).allSatisfy(copy -> assertThat(copy.header("List-Archive")).isEqualTo("<" + PUBLIC_URL + "/lists/" + list
            + "/archive>"));

        HttpResponse<String> message = SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + list + "/archive/2"));
        assertThat(message.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("message/rfc822"));
        assertThat(message.body()).contains("Message-ID: <arch-2@member.example>").contains("zeppelin-shaped");

        HttpResponse<String> mbox = SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + list + "/archive/2026-12.mbox"));
        assertThat(mbox.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/mbox"));
        List<Message> parsed = parse(mbox.body());
        assertThat(parsed).hasSize(3);
        assertThat(parsed).extracting(Message::getMessageId).containsExactly("<arch-1@member.example>", "<arch-2@member.example>",
            "<arch-3@member.example>");
        assertThat(text(parsed.get(0))).contains("Let us plan the garden.");
        assertThat(text(parsed.get(1))).contains("Who has a zeppelin-shaped watering can?");
        assertThat(text(parsed.get(2))).contains("Tulips, please.");

        assertThat(json(SERVER.webAdmin().get("/lists/" + list + "/archive?q=zeppelin"))).extracting(e -> e.get("number").asLong())
            .containsExactly(2L);
        assertThat(json(SERVER.webAdmin().get("/lists/" + list + "/archive?thread=1"))).extracting(e -> e.get("number").asLong())
            .containsExactly(1L, 3L);

        SERVER.webAdmin().expect(204, SERVER.webAdmin().delete("/lists/" + list + "/archive/1"));
        assertThat(SERVER.webAdmin().get("/lists/" + list + "/archive/1").statusCode()).isEqualTo(410);
        JsonNode thread = json(SERVER.webAdmin().get("/lists/" + list + "/archive?thread=1"));
        assertThat(thread).extracting(e -> e.get("number").asLong()).containsExactly(1L, 3L);
        assertThat(thread.get(0).get("deleted").asBoolean()).isTrue();
        assertThat(SERVER.webAdmin().get("/lists/" + list + "/archive/2026-12.mbox").body()).doesNotContain("Let us plan the garden")
            .contains("Tulips, please.");
        send(list, "<arch-4@member.example>", "After the takedown", "", "four");
        SERVER.awaitDeliveries("<arch-4@member.example>", 2);
        assertThat(entryNumber("<arch-4@member.example>")).isEqualTo(4);
        assertThat(SERVER.webAdmin().get("/lists/" + list + "/archive/99").statusCode()).isEqualTo(404);
    }

    @Test
    void mboxImportShouldRunAsATaskWithExactCountsAndAddNothingTheSecondTime() throws Exception {
        String list = "history@lists.example.org";
        SERVER.createList(list, "{}");
        String mbox = mbox(1000, 97);

        JsonNode first = runImport(list, mbox);
        assertThat(first.get("status").asText()).isEqualTo("completed");
        JsonNode counts = first.get("additionalInformation");
        assertThat(counts.get("total").asInt()).isEqualTo(1000);
        assertThat(counts.get("processed").asInt()).isEqualTo(1000);
        assertThat(counts.get("imported").asInt()).isEqualTo(990);
        assertThat(counts.get("skipped").asInt()).isZero();
        assertThat(counts.get("refused").asInt()).isEqualTo(10);
        assertThat(counts.get("errors")).hasSize(10);
        assertThat(counts.get("errors").get(0).get("error").asText()).contains("no header section");

        JsonNode second = runImport(list, mbox).get("additionalInformation");
        assertThat(second.get("imported").asInt()).isZero();
        assertThat(second.get("skipped").asInt()).isEqualTo(990);
        HttpResponse<String> listing = SERVER.webAdmin().get("/lists/" + list + "/archive?limit=1");
        assertThat(listing.headers().firstValue("X-Total-Count")).contains("990");
    }

    private static JsonNode runImport(String list, String mbox) throws Exception {
        String taskId = json(SERVER.webAdmin().expect(201, SERVER.webAdmin().post("/lists/" + list + "/archive?action=import", mbox,
            "application/mbox"))).get("taskId").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
            .until(() -> !json(SERVER.webAdmin().get("/tasks/" + taskId)).get("status").asText().matches("waiting|inProgress"));
        return json(SERVER.webAdmin().get("/tasks/" + taskId));
    }

    private static String mbox(int count, int malformedEvery) {
        StringBuilder mbox = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            mbox.append("From old@example.net Fri Dec  4 10:00:00 2015\n");
            if (i % malformedEvery == 0) {
                mbox.append("not a header\n\nbody\n\n");
                continue;
            }
            mbox.append("From: Old <old@example.net>\nSubject: Old post ").append(i).append("\nMessage-ID: <hist-").append(i)
                .append("@example.net>\nDate: Fri, 04 Dec 2015 10:00:00 +0000\n\nold body ").append(i).append("\n\n");
        }
        return mbox.toString();
    }

    private static long entryNumber(String messageId) throws Exception {
        for (JsonNode entry : json(SERVER.webAdmin().get("/lists/arch@lists.example.org/archive"))) {
            if (messageId.equals(entry.get("messageId").asText())) {
                return entry.get("number").asLong();
            }
        }
        throw new AssertionError("not archived: " + messageId);
    }

    /** The messages of an mboxrd, split at its From lines and unquoted, each parsed by mime4j. */
    private static List<Message> parse(String mbox) throws Exception {
        List<Message> messages = new ArrayList<>();
        Matcher separator = Pattern.compile("(?m)^From [^\\n]*\\n").matcher(mbox);
        List<int[]> bounds = new ArrayList<>();
        while (separator.find()) {
            bounds.add(new int[] {separator.start(), separator.end()});
        }
        for (int i = 0; i < bounds.size(); i++) {
            int end = i + 1 < bounds.size() ? bounds.get(i + 1)[0] : mbox.length();
            String text = mbox.substring(bounds.get(i)[1], end).replaceAll("(?m)^>(>*From )", "$1");
            messages.add(new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        }
        return messages;
    }

    private static String text(Message message) throws Exception {
        return new String(((TextBody) message.getBody()).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
