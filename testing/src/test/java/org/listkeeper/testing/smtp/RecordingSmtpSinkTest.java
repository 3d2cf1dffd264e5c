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
    void pairsShouldStayEmptyWhenTheTransactionIsCutBeforeTheFinalDot() throws IOException {
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            client.command("HELO client.test");
            client.command("MAIL FROM:<poster@example.com>");
            client.command("RCPT TO:<alice@example.net>");
            client.command("DATA");
            client.write("Message-ID: <cut@example.com>", "", "half a body");
            client.shutdownOutput();
            assertThat(client.reply()).isNull();
        }

        assertThat(sink.pairs()).isEmpty();
        assertThat(sink.transactions()).isZero();
    }

    @Test
    void refusalsShouldCountRefusedRecipientsWhenRefusingUntilAnInstant() throws IOException {
        sink.refuseUntil(Instant.now().plus(Duration.ofHours(1)));
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            client.command("HELO client.test");
            client.command("MAIL FROM:<poster@example.com>");
            assertThat(client.command("RCPT TO:<alice@example.net>")).startsWith("451 ");
            assertThat(client.command("RCPT TO:<bob@example.com>")).startsWith("451 ");
            client.command("RSET");

            sink.refuseUntil(Instant.EPOCH);
            send(client, "<after@example.com>", "alice@example.net");
        }

        assertThat(sink.refusals()).isEqualTo(2);
        assertThat(sink.pairs()).containsOnlyKeys(RecordingSmtpSink.key("<after@example.com>", "alice@example.net"));
    }

    private static void send(SmtpClientSession client, String messageId, String... recipients) throws IOException {
        client.command("HELO client.test");
        assertThat(client.command("MAIL FROM:<poster@example.com>")).startsWith("250 ");
        for (String recipient : recipients) {
            assertThat(client.command("RCPT TO:<" + recipient + ">")).startsWith("250 ");
        }
        assertThat(client.command("DATA")).startsWith("354 ");
        client.write("Message-ID: " + messageId, "Subject: hi", "", "hello", ".");
        assertThat(client.reply()).startsWith("250 ");
    }
}
