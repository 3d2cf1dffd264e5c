package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bounces by cause, over SMTP into the packaged server: real bounces of every class (Sisimai's collection) counted
 * only when they say the mailbox is gone; a provider's block of twenty members one owner notice and one block event,
 * closed by the next delivery there; broken bounces passed to the owners, never parked.
 */
class BounceClassEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf")).getParent()
        .resolve("core/src/test/resources/bounces");

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(SERVER.webAdmin().expect(200, SERVER.webAdmin().get(path)).body());
    }

    private static JsonNode member(String list, String address) throws Exception {
        return get("/lists/" + list + "/members/" + encoded(address));
    }

    /** A sample's address as a path segment (one is an RFC 2047 encoded word: {@code =?utf-8?B?…?=@example.org}). */
    private static String encoded(String address) {
        return java.net.URLEncoder.encode(address, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    private static void bounce(String to, String message) throws Exception {
        assertThat(SERVER.post("", List.of(to), message).accepted()).as(to).isTrue();
    }

    /** A Gmail-style report that the receiving server refused the list's mail to {@code recipient} as likely spam. */
    private static String gmailBlock(String recipient, int n) {
        String reply = "550-5.7.1 [192.0.2.10] Our system has detected that this message is likely unsolicited mail. To reduce"
            + " the amount of spam sent to Gmail, this message has been blocked.";
        return "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n"
            + "To: team-bounces@lists.example.org\r\n"
            + "Subject: Delivery Status Notification (Failure)\r\n"
            + "Message-ID: <block-" + n + "@mx.google.example>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b" + n + "\"\r\n\r\n"
            + "--b" + n + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
            + "** Message blocked **\r\n\r\nYour message to " + recipient + " has been blocked.\r\n\r\n"
            + "The response from the remote server was:\r\n" + reply + "\r\n"
            + "--b" + n + "\r\nContent-Type: message/delivery-status\r\n\r\n"
            + "Reporting-MTA: dns; googlemail.com\r\n\r\n"
            + "Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.7.1\r\n"
            + "Remote-MTA: dns; gmail-smtp-in.l.google.com\r\nDiagnostic-Code: smtp; " + reply + "\r\n\r\n"
            + "--b" + n + "--\r\n";
    }

    private static String mailboxGone(String recipient, int n) {
        return "From: MAILER-DAEMON@mx.other.example\r\nTo: team-bounces@lists.example.org\r\n"
            + "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <gone-" + n + "@mx.other.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"g" + n + "\"\r\n\r\n"
            + "--g" + n + "\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n"
            + "--g" + n + "\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.other.example\r\n\r\n"
            + "Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            + "Diagnostic-Code: smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown\r\n\r\n"
            + "--g" + n + "--\r\n";
    }

    @Test
    void realBouncesOfEveryClassShouldCountOnlyWhenTheMailboxIsGone() throws Exception {
        Map<String, String[]> samples = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SAMPLES.resolve("classes/expected.csv"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] fields = line.split(",");
                samples.put(fields[0], fields);
            }
        }
        List<String> members = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            members.add("s" + i + "@samples.example");
        }
        SERVER.createList("classes@lists.example.org", "{}", members.toArray(new String[0]));

        // each sample to its own member's VERP address, so that samples naming the same recipient stay apart
        int i = 0;
        for (String sample : samples.keySet()) {
            bounce("classes-bounces+s" + (i++) + "=samples.example@lists.example.org",
                Files.readString(SAMPLES.resolve("classes/" + sample + ".eml"), StandardCharsets.ISO_8859_1));
        }

        i = 0;
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String[] sample : samples.values()) {
            String address = "s" + (i++) + "@samples.example";
            String bounceClass = sample[1];
            expected.merge(bounceClass, 1, Integer::sum);
            await(sample[0]).atMost(Duration.ofSeconds(60)).until(() -> member("classes@lists.example.org", address).hasNonNull("lastBounce"));
            JsonNode entry = member("classes@lists.example.org", address);
            assertThat(entry.get("lastBounce").get("class").asText()).as(sample[0]).isEqualTo(bounceClass);
            assertThat(entry.get("bounceScore").asInt()).as(sample[0]).isEqualTo(bounceClass.equals("mailbox") ? 1 : 0);
        }
        JsonNode classes = get("/lists/classes@lists.example.org/bounces?since=1h").get("classes");
        for (Map.Entry<String, Integer> count : expected.entrySet()) {
            assertThat(classes.get(count.getKey()).get("received").asInt()).as(count.getKey()).isEqualTo(count.getValue());
            assertThat(classes.get(count.getKey()).get("scored").asInt()).as(count.getKey())
                .isEqualTo(count.getKey().equals("mailbox") ? count.getValue() : 0);
        }
        assertThat(expected.get("policy")).isGreaterThanOrEqualTo(100);
    }

    @Test
    void eachRealMailboxFailureShouldCountForTheMemberItsReportNames() throws Exception {
        // no VERP here: the member is the one the report itself names, each sample to a list of its own
        Map<String, String> lists = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(SAMPLES.resolve("classes/expected.csv"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(",");
            if (line.startsWith("#") || fields.length < 3 || !fields[1].equals("mailbox")) {
                continue;
            }
            String list = "named" + (n++) + "@lists.example.org";
            lists.put(fields[0], list + " " + fields[2]);
            SERVER.createList(list, "{}");
            SERVER.webAdmin().expect(204, SERVER.webAdmin().put("/lists/" + list + "/members/" + encoded(fields[2]), ""));
            bounce(list.replace("@", "-bounces@"), Files.readString(SAMPLES.resolve("classes/" + fields[0] + ".eml"), StandardCharsets.ISO_8859_1));
        }

        for (Map.Entry<String, String> sample : lists.entrySet()) {
            String[] target = sample.getValue().split(" ");
            await(sample.getKey()).atMost(Duration.ofSeconds(60)).until(() -> member(target[0], target[1]).get("bounceScore").asInt() == 1);
            assertThat(member(target[0], target[1]).get("lastBounce").get("class").asText()).isEqualTo("mailbox");
        }
        assertThat(lists).hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void aProviderBlockingTwentyMembersShouldMakeOneBlockEventAndOneNoticeAndCountAgainstNoOne() throws Exception {
        List<String> blocked = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            blocked.add("m" + n + "@blocked.example");
        }
        List<String> members = new ArrayList<>(blocked);
        members.add("reader@open.example");
        SERVER.createList("team@lists.example.org", "{}", members.toArray(new String[0]));
        SERVER.webAdmin().expect(204, SERVER.webAdmin().put("/lists/team@lists.example.org/members/boss@owner.example",
            "{\"role\":\"owner\"}"));

        for (int n = 0; n < blocked.size(); n++) {
            bounce("team-bounces@lists.example.org", gmailBlock(blocked.get(n), n));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode blocks = get("/lists/team@lists.example.org/bounces").get("blocks");
            return blocks.size() == 1 && blocks.get(0).get("members").asInt() == 20;
        });
        JsonNode event = get("/lists/team@lists.example.org/bounces").get("blocks").get(0);
        assertThat(event.get("domain").asText()).isEqualTo("blocked.example");
        assertThat(event.get("open").asBoolean()).isTrue();
        assertThat(event.get("reply").asText()).contains("5.7.1").contains("blocked");
        List<ListkeeperServer.Delivery> notices = SERVER.awaitDeliveriesTo("boss@owner.example", 1);
        assertThat(notices.get(0).header("Subject")).contains("blocked.example").contains("refuses mail");
        assertThat(notices.get(0).body()).contains("members within 1h").contains("SPF").contains("DKIM").contains("DMARC");
        for (String address : blocked) {
            JsonNode entry = member("team@lists.example.org", address);
            assertThat(entry.get("bounceScore").asInt()).as(address).isZero();
            assertThat(entry.get("lastBounce").get("class").asText()).as(address).isEqualTo("policy");
            assertThat(entry.get("delivery").asText()).isEqualTo("enabled");
        }
        JsonNode policy = get("/lists/team@lists.example.org/bounces?since=1h").get("classes").get("policy");
        assertThat(policy.get("received").asInt()).isEqualTo(20);
        assertThat(policy.get("notScored").asInt()).isEqualTo(20);

        // the provider accepts the list's mail again: the next post delivered there closes the event
        assertThat(SERVER.post("reader@open.example", List.of("team@lists.example.org"),
            "From: reader@open.example\r\nTo: team@lists.example.org\r\nSubject: still there?\r\nMessage-ID: <after-block@open.example>\r\n\r\n"
                + "Hello again.\r\n").accepted()).isTrue();
        SERVER.awaitDeliveriesTo("m19@blocked.example", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !get("/lists/team@lists.example.org/bounces").get("blocks").get(0)
            .get("open").asBoolean());
        assertThat(get("/lists/team@lists.example.org/bounces").get("blocks").get(0).get("closedBy").asText()).isEqualTo("delivery");
        // one notice, for the one event
        assertThat(SERVER.deliveriesTo("boss@owner.example")).filteredOn(d -> d.header("Subject").contains("refuses mail")).hasSize(1);
    }

    @Test
    void aMailboxFailureAndAPolicyRefusalOnOneDayShouldCountOnceForTheMailboxFailure() throws Exception {
        SERVER.createList("sameday@lists.example.org", "{}", "both@two.example");

        bounce("sameday-bounces@lists.example.org", gmailBlock("both@two.example", 100));
        await().atMost(Duration.ofSeconds(30)).until(() -> member("sameday@lists.example.org", "both@two.example").hasNonNull("lastBounce"));
        bounce("sameday-bounces@lists.example.org", mailboxGone("both@two.example", 101));
        await().atMost(Duration.ofSeconds(30)).until(() -> member("sameday@lists.example.org", "both@two.example").get("bounceScore").asInt() == 1);
        bounce("sameday-bounces@lists.example.org", gmailBlock("both@two.example", 102));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/lists/sameday@lists.example.org/bounces").get("classes").get("policy")
            .get("received").asInt() == 2);

        JsonNode entry = member("sameday@lists.example.org", "both@two.example");
        assertThat(entry.get("bounceScore").asInt()).isEqualTo(1);
        JsonNode classes = get("/lists/sameday@lists.example.org/bounces").get("classes");
        assertThat(classes.get("mailbox").get("scored").asInt()).isEqualTo(1);
        assertThat(classes.get("policy").get("scored").asInt()).isZero();
    }

    @Test
    void brokenBouncesShouldReachTheOwnersAsUnrecognisedAndNeverBeParked() throws Exception {
        SERVER.createList("broken@lists.example.org", "{}", "kijitora@example.jp");
        SERVER.webAdmin().expect(204, SERVER.webAdmin().put("/lists/broken@lists.example.org/members/owner@owner.example",
            "{\"role\":\"owner\"}"));
        String postfix = Files.readString(SAMPLES.resolve("postfix.eml"), StandardCharsets.UTF_8);
        // a report cut off in the middle of its delivery status, before any recipient
        String truncated = postfix.substring(0, postfix.indexOf("Final-Recipient")).replace("<20261103081402.4D2F31E1C2A@",
            "<truncated@");

        bounce("broken-bounces@lists.example.org", Files.readString(SAMPLES.resolve("real/rhost-franceptt-07.eml"), StandardCharsets.ISO_8859_1));
        bounce("broken-bounces@lists.example.org", Files.readString(SAMPLES.resolve("real/rhost-google-02.eml"), StandardCharsets.ISO_8859_1));
        bounce("broken-bounces@lists.example.org", truncated);

        List<ListkeeperServer.Delivery> forwarded = SERVER.awaitDeliveriesTo("owner@owner.example", 3);
        assertThat(forwarded).allSatisfy(d -> assertThat(d.header("Subject")).contains("could not be read"));
        assertThat(forwarded).filteredOn(d -> d.body().contains("Missing start boundary")).hasSize(2);
        assertThat(forwarded).filteredOn(d -> d.body().contains("names no member")).hasSize(1);
        assertThat(JSON.readTree(SERVER.webAdmin().get("/lists/broken@lists.example.org/parked").body())).isEmpty();
        JsonNode unrecognised = get("/lists/broken@lists.example.org/bounces").get("classes").get("unrecognised");
        assertThat(unrecognised.get("received").asInt()).isEqualTo(3);
        assertThat(member("broken@lists.example.org", "kijitora@example.jp").get("bounceScore").asInt()).isZero();
        assertThat(SERVER.deliveriesTo("kijitora@example.jp")).isEmpty();
    }
}
