package org.listkeeper.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.testing.smtp.SmtpSink;

class SmtpDeliveryTest {
    /** One message the sink accepted. */
    private static final class Received {
        final String sender;
        final List<String> recipients;
        final String message;

        Received(String sender, List<String> recipients, byte[] message) {
            this.sender = sender;
            this.recipients = recipients;
            this.message = new String(message, StandardCharsets.UTF_8);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private SmtpSink sink;
    private ConnectionPool pool;

    @BeforeEach
    void setUp() throws Exception {
        sink = SmtpSink.start((sender, recipients, message) -> received.add(new Received(sender, recipients, message)));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.close();
        }
        sink.close();
    }

    private SmtpDelivery delivery(TlsMode tls, int maxRecipients) {
        SmtpSettings settings = SmtpSettings.of("lists.example.org", Duration.ofSeconds(5), Duration.ofSeconds(10), tls, 100, maxRecipients,
            Duration.ofSeconds(30));
        pool = new ConnectionPool(settings, DeliveryMetrics.NONE);
        return new SmtpDelivery(Route.gateway("127.0.0.1", sink.port()), pool, settings, DeliveryMetrics.NONE);
    }

    private static SmtpDelivery.Copy copy(String sender, List<String> recipients, String body) {
        return SmtpDelivery.Copy.of(sender, recipients,
            ("From: list@lists.example.org\r\nSubject: s\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void deliverShouldGiveEachRecipientOfOnePipelinedTransactionItsOwnOutcome() {
        sink.answerRecipients(address -> address.startsWith("later") ? "450 4.2.1 try later"
            : address.startsWith("gone") ? "550 5.1.1 no such user" : null);
        List<String> recipients = List.of("ok1@a.example", "later1@a.example", "gone1@b.example", "ok2@b.example");

        Map<String, RecipientOutcome> outcomes = delivery(TlsMode.OPPORTUNISTIC, 100)
            .deliver(List.of(copy("list-bounces@lists.example.org", recipients, "hello\r\n.dot line")));

        assertThat(outcomes.get("ok1@a.example").kind()).isEqualTo(RecipientOutcome.Kind.DELIVERED);
        assertThat(outcomes.get("ok2@b.example").kind()).isEqualTo(RecipientOutcome.Kind.DELIVERED);
        assertThat(outcomes.get("later1@a.example").kind()).isEqualTo(RecipientOutcome.Kind.DEFERRED);
        assertThat(outcomes.get("later1@a.example").reply()).isEqualTo("450 4.2.1 try later");
        assertThat(outcomes.get("gone1@b.example").kind()).isEqualTo(RecipientOutcome.Kind.FAILED);
        assertThat(outcomes.get("gone1@b.example").reply()).isEqualTo("550 5.1.1 no such user");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).recipients).containsExactly("ok1@a.example", "ok2@b.example");
        assertThat(received.get(0).sender).isEqualTo("list-bounces@lists.example.org");
        // dot-stuffing undone by the sink: the line reads as it was written
        assertThat(received.get(0).message).contains("\r\n.dot line\r\n");
    }

    @Test
    void personalCopiesShouldGoOverOneConnectionReusedByTheNextBatch() {
        SmtpDelivery delivery = delivery(TlsMode.OPPORTUNISTIC, 100);
        List<SmtpDelivery.Copy> batch = IntStream.range(0, 10)
            .mapToObj(i -> copy("list-bounces+m" + i + "=x.example@lists.example.org", List.of("m" + i + "@x.example"), "for m" + i))
            .collect(Collectors.toList());

        Map<String, RecipientOutcome> first = delivery.deliver(batch);
        Map<String, RecipientOutcome> second = delivery.deliver(List.of(copy("list-bounces@lists.example.org", List.of("n@y.example"), "next")));

        assertThat(first.values()).extracting(RecipientOutcome::kind).containsOnly(RecipientOutcome.Kind.DELIVERED).hasSize(10);
        assertThat(second.get("n@y.example").kind()).isEqualTo(RecipientOutcome.Kind.DELIVERED);
        assertThat(sink.connections()).isEqualTo(1);
        assertThat(received).hasSize(11);
        assertThat(received.get(3).sender).isEqualTo("list-bounces+m3=x.example@lists.example.org");
        assertThat(received.get(3).message).contains("for m3");
    }

    @Test
    void aConnectionDroppedAfterTheThirdOfTenTransactionsShouldLeaveTheOtherSevenDeferredAndNoneRepeated() {
        sink.dropConnectionAfter(3);
        List<SmtpDelivery.Copy> batch = IntStream.range(0, 10)
            .mapToObj(i -> copy("b@lists.example.org", List.of("m" + i + "@x.example"), "for m" + i))
            .collect(Collectors.toList());

        Map<String, RecipientOutcome> outcomes = delivery(TlsMode.OPPORTUNISTIC, 100).deliver(batch);

        assertThat(IntStream.range(0, 3).mapToObj(i -> outcomes.get("m" + i + "@x.example").kind()))
            .containsOnly(RecipientOutcome.Kind.DELIVERED);
        assertThat(IntStream.range(3, 10).mapToObj(i -> outcomes.get("m" + i + "@x.example").kind()))
            .containsOnly(RecipientOutcome.Kind.DEFERRED);
        assertThat(received).extracting(r -> r.recipients.get(0)).containsExactly("m0@x.example", "m1@x.example", "m2@x.example");
    }

    @Test
    void requiredStartTlsNotOfferedShouldDeferEveryRecipientAndSendNothing() {
        Map<String, RecipientOutcome> outcomes = delivery(TlsMode.REQUIRED, 100)
            .deliver(List.of(copy("b@lists.example.org", List.of("a@x.example", "b@x.example"), "secret")));

        assertThat(outcomes.values()).extracting(RecipientOutcome::kind).containsOnly(RecipientOutcome.Kind.DEFERRED).hasSize(2);
        assertThat(outcomes.get("a@x.example").reply()).contains("STARTTLS");
        assertThat(received).isEmpty();
    }

    @Test
    void recipientsShouldBeSplitIntoTransactionsOfTheConfiguredMaximum() {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            recipients.add("r" + i + "@x.example");
        }

        Map<String, RecipientOutcome> outcomes = delivery(TlsMode.OPPORTUNISTIC, 3).deliver(List.of(copy("b@l.example", recipients, "bulk")));

        assertThat(outcomes).hasSize(7);
        assertThat(received).extracting(r -> r.recipients.size()).containsExactly(3, 3, 1);
        assertThat(sink.connections()).isEqualTo(1);
    }

    @Test
    void anUnreachableRelayShouldDeferEveryRecipient() throws Exception {
        int port = sink.port();
        sink.close();
        SmtpSettings settings = SmtpSettings.of("l.example", Duration.ofSeconds(2), Duration.ofSeconds(2), TlsMode.OPPORTUNISTIC, 100, 100,
            Duration.ofSeconds(30));
        pool = new ConnectionPool(settings, DeliveryMetrics.NONE);
        AtomicInteger opened = new AtomicInteger();
        Map<String, AtomicInteger> counted = new ConcurrentHashMap<>();
        DeliveryMetrics metrics = new DeliveryMetrics() {
            @Override
            public void connectionOpened(String destination) {
                opened.incrementAndGet();
            }

            @Override
            public void recipients(String destination, RecipientOutcome.Kind kind, int count) {
                counted.computeIfAbsent(kind.name(), k -> new AtomicInteger()).addAndGet(count);
            }
        };

        Map<String, RecipientOutcome> outcomes = new SmtpDelivery(Route.gateway("127.0.0.1", port), pool, settings, metrics)
            .deliver(List.of(copy("b@l.example", List.of("a@x.example"), "x")));

        assertThat(outcomes.get("a@x.example").kind()).isEqualTo(RecipientOutcome.Kind.DEFERRED);
        assertThat(opened).hasValue(0);
        assertThat(counted.get("DEFERRED")).hasValue(1);
        sink = SmtpSink.start((sender, recipients, message) -> { });
    }
}
