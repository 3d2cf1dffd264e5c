package org.listkeeper.testing.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmtpSinkTest {
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private SmtpSink sink;

    @BeforeEach
    void start() throws IOException {
        sink = SmtpSink.start((messageId, recipients) -> accepted.add(messageId + " " + recipients));
    }

    @AfterEach
    void close() throws IOException {
        sink.close();
    }

    @Test
    void acceptedShouldGetEveryRecipientOnceInLowerCaseWhenTheMessageHasTwo() throws IOException {
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            assertThat(client.greeting()).startsWith("220 ");
            assertThat(client.command("EHLO client.test")).isEqualTo("250 PIPELINING");
            assertThat(client.command("MAIL FROM:<poster@example.com>")).startsWith("250 ");
            assertThat(client.command("RCPT TO:<Alice@Example.net>")).startsWith("250 ");
            assertThat(client.command("RCPT TO:<bob@example.com>")).startsWith("250 ");
            assertThat(client.command("DATA")).startsWith("354 ");

            assertThat(client.endData("Message-ID: <two@example.com>", "Subject: hi", "", "hello")).startsWith("250 ");
            // the listener has run by the time the client has its 250
            assertThat(accepted).containsExactly("<two@example.com> [alice@example.net, bob@example.com]");
            assertThat(client.command("QUIT")).startsWith("221 ");
        }
    }

    @Test
    void acceptedShouldNotBeCalledWhenTheConnectionEndsBeforeTheFinalDot() throws IOException {
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            client.beginData("alice@example.net");
            client.write("Message-ID: <cut@example.com>", "", "half a body");
            client.shutdownOutput();

            // the sink closes its side only once it has given up on the message
            assertThat(client.reply()).isNull();
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void dataShouldEndOnlyAtTheLoneDotWhenLinesAreDotStuffed() throws IOException {
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            client.beginData("alice@example.net");
            assertThat(client.endData("..X-Leading-Dot: yes", "Message-ID: <dots@example.com>", "", "..", "...", "..end"))
                .startsWith("250 ");

            // still in step: the next transaction on the same connection is one of its own
            client.beginData("bob@example.com");
            assertThat(client.endData("Message-ID: <next@example.com>", "")).startsWith("250 ");
        }
        assertThat(accepted).containsExactly("<dots@example.com> [alice@example.net]", "<next@example.com> [bob@example.com]");
    }

    @Test
    void acceptedShouldGetTheUnfoldedMessageIdWhenTheHeaderIsFolded() throws IOException {
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            client.beginData("alice@example.net");
            assertThat(client.endData("message-id:", "\t<folded@example.com>", "Subject: hi", "")).startsWith("250 ");

            client.beginData("alice@example.net");
            assertThat(client.endData("Subject: no id", "")).startsWith("250 ");
        }
        assertThat(accepted).containsExactly("<folded@example.com> [alice@example.net]", "(none) [alice@example.net]");
    }

    @Test
    void rcptShouldBeRefusedWith451UntilTheInstantGiven() throws IOException {
        sink.refuseUntil(Instant.now().plus(Duration.ofHours(1)));
        try (SmtpClientSession client = new SmtpClientSession(sink.port())) {
            client.command("HELO client.test");
            client.command("MAIL FROM:<poster@example.com>");
            assertThat(client.command("RCPT TO:<alice@example.net>")).startsWith("451 ");
            assertThat(client.command("DATA")).startsWith("503 ");
            assertThat(sink.refusals()).isEqualTo(1);

            sink.refuseUntil(Instant.now().minusMillis(1));
            assertThat(client.beginData("alice@example.net")).startsWith("354 ");
            assertThat(client.endData("Message-ID: <later@example.com>", "")).startsWith("250 ");
        }
        assertThat(sink.refusals()).isEqualTo(1);
        assertThat(accepted).containsExactly("<later@example.com> [alice@example.net]");
    }

    @Test
    void closeShouldFreeThePortAndDropOpenConnections() throws IOException {
        int port = sink.port();
        try (SmtpClientSession client = new SmtpClientSession(port)) {
            client.command("HELO client.test");

            sink.close();

            assertThat(client.reply()).isNull();
        }
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
