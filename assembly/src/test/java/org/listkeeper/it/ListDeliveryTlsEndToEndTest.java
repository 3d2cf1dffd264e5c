package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.testing.smtp.SmtpSink;

import ch.qos.logback.classic.Level;

/**
 * {@code STARTTLS} required by configuration and not offered by the relay: list delivery sends nothing in clear; the
 * batch is deferred and tried again later.
 */
class ListDeliveryTlsEndToEndTest {
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final SmtpSink SINK = sink();
    private static LogCapture logs;

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .mailetContainer(xml -> xml.replaceFirst(
            "<queue>listkeeper-delivery</queue><gateway>127\\.0\\.0\\.1</gateway><gatewayPort>\\d+</gatewayPort>",
            "<queue>listkeeper-delivery</queue><gateway>127.0.0.1</gateway><gatewayPort>" + SINK.port() + "</gatewayPort>")
            .replace("<startTls>opportunistic</startTls>", "<startTls>required</startTls>"))
        .build();

    private static SmtpSink sink() {
        try {
            return SmtpSink.start((sender, recipients, raw) -> RECEIVED.addAll(recipients));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.install(Level.INFO, "org.listkeeper");
    }

    @AfterAll
    static void closeSink() throws Exception {
        logs.close();
        SINK.close();
    }

    @Test
    void aRelayThatDoesNotOfferStartTlsShouldGetNothingAndTheBatchShouldBeTriedAgain() throws Exception {
        String list = "secret@lists.example.org";
        SERVER.createList(list, "{\"delivery\":\"personalized\"}", "ann@member.example", "bob@member.example");

        assertThat(SERVER.post("poster@outside.example", List.of(list), "From: poster@outside.example\r\nTo: " + list
            + "\r\nSubject: Secret\r\nMessage-ID: <secret-1@outside.example>\r\n\r\nNot in clear.\r\n").accepted()).isTrue();

        // tried more than once (500 ms base delay here), each time refused before any MAIL FROM
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.listkeeperEvents().stream()
            .anyMatch(line -> line.contains("List delivery of post") && line.contains("attempt 1): 0 delivered, 2 deferred")));
        assertThat(logs.listkeeperEvents()).anyMatch(line -> line.contains("does not offer STARTTLS"));
        assertThat(RECEIVED).isEmpty();
        assertThat(SINK.connections()).isGreaterThanOrEqualTo(2);
    }
}
