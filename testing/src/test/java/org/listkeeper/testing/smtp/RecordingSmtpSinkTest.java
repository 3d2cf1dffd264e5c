package org.listkeeper.testing.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordingSmtpSinkTest {
    private RecordingSmtpSink sink;

    @BeforeEach
    void start() throws IOException {
        sink = RecordingSmtpSink.start();
    }

    @AfterEach
    void close() throws IOException {
        sink.close();
    }

    @Test
    void pairsShouldHoldOnePairPerRecipientWhenAMessageHasTwoRecipients() throws IOException {
        long before = System.currentTimeMillis();
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            send(client, "<two@example.com>", "Alice@Example.net", "bob@example.com");
        }

        assertThat(sink.pairs()).containsOnlyKeys(RecordingSmtpSink.key("<two@example.com>", "alice@example.net"),
            RecordingSmtpSink.key("<two@example.com>", "bob@example.com"));
        assertThat(sink.count("<two@example.com>", "ALICE@example.net")).isEqualTo(1);
        assertThat(sink.count("<two@example.com>", "bob@example.com")).isEqualTo(1);
        assertThat(sink.count("<two@example.com>", "carol@example.org")).isZero();
        assertThat(sink.pairCount()).isEqualTo(2);
        assertThat(sink.transactions()).isEqualTo(1);
        assertThat(sink.acceptedAt(RecordingSmtpSink.key("<two@example.com>", "bob@example.com")))
            .singleElement().satisfies(at -> assertThat(at).isBetween(before, System.currentTimeMillis()));
    }

    @Test
    void countShouldCountEveryCopyWhenAPairIsAcceptedTwice() throws IOException {
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            send(client, "<again@example.com>", "alice@example.net");
            send(client, "<again@example.com>", "alice@example.net");
        }

        assertThat(sink.count("<again@example.com>", "alice@example.net")).isEqualTo(2);
        assertThat(sink.acceptedAt(RecordingSmtpSink.key("<again@example.com>", "alice@example.net"))).hasSize(2);
        assertThat(sink.pairs()).hasSize(1);
        assertThat(sink.pairCount()).isEqualTo(2);
        assertThat(sink.transactions()).isEqualTo(2);
    }

    @Test
    void refusalsShouldCountRefusedRecipientsWhenRefusingUntilAnInstant() throws IOException {
        sink.refuseUntil(Instant.now().plus(Duration.ofHours(1)));
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            assertThat(client.beginData("alice@example.net", "bob@example.com")).startsWith("503 ");

            sink.refuseUntil(Instant.EPOCH);
            send(client, "<after@example.com>", "alice@example.net");
        }

        assertThat(sink.refusals()).isEqualTo(2);
        assertThat(sink.pairs()).containsOnlyKeys(RecordingSmtpSink.key("<after@example.com>", "alice@example.net"));
    }

    private static void send(SmtpClientSession client, String messageId, String... recipients) throws IOException {
        assertThat(client.beginData(recipients)).startsWith("354 ");
        assertThat(client.endData("Message-ID: " + messageId, "Subject: hi", "", "hello")).startsWith("250 ");
    }
}
