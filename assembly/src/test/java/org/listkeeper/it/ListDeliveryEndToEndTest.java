package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.mailets.MockPublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.testing.smtp.SmtpSink;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * List delivery end to end: posts through James's SMTP, list batches delivered by {@code ListDelivery} to a sink that
 * answers each recipient as the test says ({@code 250}, {@code 450} once, {@code 550}), drops a connection, counts
 * connections. Each copy is checked as a member gets it: its envelope, footer, one-click link and DKIM signature.
 */
class ListDeliveryEndToEndTest {
    private static final KeyPair DKIM_KEY = DkimTestKeys.generate();
    private static final String SELECTOR = "lk2026";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final SmtpSink SINK = sink();

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .publicBaseUrl("https://lists.example.org/")
        // list delivery to the scripted sink, signing with the test key; other mail still to the harness's sink
        .mailetContainer(xml -> xml.replaceFirst(
            "<queue>listkeeper-delivery</queue><gateway>127\\.0\\.0\\.1</gateway><gatewayPort>\\d+</gatewayPort>",
            "<queue>listkeeper-delivery</queue><gateway>127.0.0.1</gateway><gatewayPort>" + SINK.port() + "</gatewayPort>"
                + "<dkimKeys>lists.example.org:" + SELECTOR + ":" + DkimTestKeys.file(DKIM_KEY) + "</dkimKeys>"))
        .build();

    /** One message the sink accepted. */
    private static final class Received {
        final String sender;
        final List<String> recipients;
        final byte[] raw;
        final long at = System.currentTimeMillis();

        Received(String sender, List<String> recipients, byte[] raw) {
            this.sender = sender;
            this.recipients = recipients;
            this.raw = raw;
        }

        MimeMessage message() throws Exception {
            return new MimeMessage(Session.getInstance(new java.util.Properties()), new ByteArrayInputStream(raw));
        }

        String messageId() throws Exception {
            return message().getMessageID();
        }
    }

    private static SmtpSink sink() {
        try {
            return SmtpSink.start((sender, recipients, raw) -> RECEIVED.add(new Received(sender, recipients, raw)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void closeSink() throws Exception {
        SINK.close();
    }

    @BeforeEach
    void acceptEveryone() {
        SINK.answerRecipients(address -> null);
    }

    private static List<Received> of(String messageId) throws Exception {
        List<Received> copies = new ArrayList<>();
        for (Received received : RECEIVED) {
            if (messageId.equals(received.messageId())) {
                copies.add(received);
            }
        }
        return copies;
    }

    /** Recipient → how many copies of {@code messageId} reached it. */
    private static Map<String, Integer> counts(String messageId) throws Exception {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        for (Received received : of(messageId)) {
            received.recipients.forEach(recipient -> counts.merge(recipient, 1, Integer::sum));
        }
        return counts;
    }

    private static int bounceScore(String list, String member) throws Exception {
        return JSON.readTree(SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + list + "/members/" + member)).body())
            .get("bounceScore").asInt();
    }

    /** Answers {@code 450} to {@code deferred} the first time each is tried, {@code 550} to {@code refused}. */
    private static Function<String, String> answers(Set<String> deferred, Set<String> refused, Map<String, AtomicInteger> deferrals) {
        return address -> {
            if (refused.contains(address)) {
                return "550 5.1.1 <" + address + ">: no such user";
            }
            if (deferred.contains(address) && deferrals.computeIfAbsent(address, a -> new AtomicInteger()).getAndIncrement() == 0) {
                return "450 4.2.1 <" + address + ">: try again later";
            }
            return null;
        };
    }

    @Test
    void personalizedCopiesShouldBeDeliveredOnceDeferredOnesAfterBackoffRefusedOnesCountedAsBouncesEachSignedWithItsOwnFooterAndLink()
        throws Exception {
        String list = "fifty@lists.example.org";
        List<String> members = IntStream.range(0, 50).mapToObj(i -> String.format(Locale.ROOT, "m%02d@member.example", i))
            .collect(Collectors.toList());
        SERVER.createList(list, "{\"delivery\":\"personalized\",\"footer\":\"--\\nFor {{memberAddress}}: leave at {{unsubscribeUrl}}\"}",
            members.toArray(new String[0]));
        Set<String> deferred = Set.copyOf(members.subList(30, 40));
        Set<String> refused = Set.copyOf(members.subList(40, 50));
        Map<String, AtomicInteger> deferrals = new ConcurrentHashMap<>();
        SINK.answerRecipients(answers(deferred, refused, deferrals));
        String messageId = "<fifty-1@outside.example>";

        SERVER.post("poster@outside.example", List.of(list), message(list, messageId, "Fifty"));

        await().atMost(Duration.ofSeconds(60)).until(() -> counts(messageId).size() == 40);
        Map<String, Integer> counts = counts(messageId);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(members.subList(0, 40));
        assertThat(counts.values()).containsOnly(1);
        // each deferred member was refused once, then delivered on the next attempt, after the first delivery
        assertThat(deferrals.values()).extracting(AtomicInteger::get).containsOnly(2).hasSize(10);
        long firstDelivered = of(messageId).stream().mapToLong(r -> r.at).min().orElseThrow();
        assertThat(of(messageId).stream().filter(r -> deferred.contains(r.recipients.get(0))).mapToLong(r -> r.at))
            .allMatch(at -> at >= firstDelivered + 300);
        // refused members: one bounce each, counted from the SMTP reply, no bounce mail round trip; the others none
        await().atMost(Duration.ofSeconds(20)).until(() -> bounceScore(list, "m40@member.example") == 1);
        for (String member : refused) {
            assertThat(bounceScore(list, member)).as(member).isEqualTo(1);
        }
        assertThat(bounceScore(list, "m00@member.example")).isZero();
        assertThat(bounceScore(list, "m35@member.example")).isZero();

        Set<String> links = new java.util.HashSet<>();
        for (Received copy : of(messageId)) {
            String member = copy.recipients.get(0);
            assertThat(copy.recipients).hasSize(1);
            assertThat(copy.sender).isEqualTo("fifty-bounces+" + member.replace("@", "=") + "@lists.example.org");
            MimeMessage message = copy.message();
            String body = ((String) message.getContent()).replace("\r\n", "\n");
            assertThat(body).startsWith("Hello list.\n").contains("For " + member + ": leave at https://lists.example.org/");
            String unsubscribe = message.getHeader("List-Unsubscribe", null);
            String link = unsubscribe.substring(unsubscribe.indexOf('<') + 1, unsubscribe.indexOf('>'));
            assertThat(link).startsWith("https://lists.example.org/");
            assertThat(body).contains(link);
            links.add(link);
            assertThat(message.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
            List<SignatureRecord> signatures = new DKIMVerifier(publicKey()).verify(new ByteArrayInputStream(copy.raw));
            assertThat(signatures).hasSize(1);
            assertThat(signatures.get(0).getHeaders().stream().map(h -> h.toString().toLowerCase(Locale.ROOT)))
                .contains("list-unsubscribe", "list-unsubscribe-post", "from", "subject");
        }
        assertThat(links).hasSize(40);
    }

    @Test
    void aBulkBatchShouldGoInOneTransactionAndOnlyItsDeferredRecipientsBeTriedAgain() throws Exception {
        String list = "bulk@lists.example.org";
        SERVER.createList(list, "{}", "a1@member.example", "a2@member.example", "d1@member.example", "d2@member.example",
            "r1@member.example", "r2@member.example");
        Map<String, AtomicInteger> deferrals = new ConcurrentHashMap<>();
        SINK.answerRecipients(answers(Set.of("d1@member.example", "d2@member.example"), Set.of("r1@member.example", "r2@member.example"),
            deferrals));
        String messageId = "<bulk-1@outside.example>";

        SERVER.post("poster@outside.example", List.of(list), message(list, messageId, "Bulk"));

        await().atMost(Duration.ofSeconds(60)).until(() -> counts(messageId).size() == 4);
        List<Received> copies = of(messageId);
        assertThat(copies).extracting(r -> r.recipients).containsExactly(List.of("a1@member.example", "a2@member.example"),
            List.of("d1@member.example", "d2@member.example"));
        assertThat(copies).extracting(r -> r.sender).containsOnly("bulk-bounces@lists.example.org");
        // a bulk batch is signed once, and that signature verifies for every recipient
        assertThat(new DKIMVerifier(publicKey()).verify(new ByteArrayInputStream(copies.get(0).raw))).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> bounceScore(list, "r1@member.example") == 1);
        assertThat(bounceScore(list, "r2@member.example")).isEqualTo(1);
        assertThat(bounceScore(list, "d1@member.example")).isZero();
    }

    @Test
    void aConnectionDroppedAfterTheThirdOfTenTransactionsShouldDeliverTheOtherSevenOnceOnRetryAndNotRepeatTheFirstThree()
        throws Exception {
        String list = "ten@lists.example.org";
        List<String> members = IntStream.range(0, 10).mapToObj(i -> "t" + i + "@member.example").collect(Collectors.toList());
        SERVER.createList(list, "{\"delivery\":\"personalized\"}", members.toArray(new String[0]));
        String messageId = "<ten-1@outside.example>";
        int before = RECEIVED.size();
        SINK.dropConnectionAfter(before + 3);

        SERVER.post("poster@outside.example", List.of(list), message(list, messageId, "Ten"));

        await().atMost(Duration.ofSeconds(60)).until(() -> counts(messageId).size() == 10);
        Map<String, Integer> counts = counts(messageId);
        assertThat(counts.values()).containsOnly(1);
        List<Received> copies = of(messageId);
        assertThat(copies).hasSize(10);
        // the first three went before the drop; the seven after it came in a later attempt
        long lastOfFirst = copies.get(2).at;
        assertThat(copies.subList(3, 10)).allMatch(copy -> copy.at >= lastOfFirst + 300);
    }

    private static MockPublicKeyRecordRetriever publicKey() {
        return DkimTestKeys.publicKey(DKIM_KEY, SELECTOR, "lists.example.org");
    }

    private static String message(String list, String messageId, String subject) {
        return "From: poster@outside.example\r\nTo: " + list + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId + "\r\n"
            + "Date: Sun, 06 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            + "Hello list.\r\n";
    }
}
