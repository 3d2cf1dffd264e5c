package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.testing.smtp.SmtpSink;

/**
 * Direct delivery: no relay, each domain's MX from the (in-memory) DNS. Two domains, each with its own sink on its own
 * loopback address (same port): a.example's primary MX is up and its lower-priority backup down; b.example's primary
 * is down, so its copies go to its backup. Each sink gets its own domain's copies only, over one connection, reused by
 * the next post.
 */
class ListDeliveryMxEndToEndTest {
    private static final List<String> AT_A = new CopyOnWriteArrayList<>();
    private static final List<String> AT_B = new CopyOnWriteArrayList<>();
    private static final SmtpSink SINK_A = sink("127.0.0.2", 0, AT_A);
    private static final SmtpSink SINK_B = sink("127.0.0.3", SINK_A.port(), AT_B);

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .host("a.example", "127.0.0.9", "mx.a.example", "backup.a.example")
        .host("mx.a.example", "127.0.0.2")
        .host("backup.a.example", "127.0.0.4")
        .host("b.example", "127.0.0.9", "down.b.example", "mx.b.example")
        .host("down.b.example", "127.0.0.5")
        .host("mx.b.example", "127.0.0.3")
        .mailetContainer(xml -> xml.replaceFirst(
            "<queue>listkeeper-delivery</queue><gateway>127\\.0\\.0\\.1</gateway><gatewayPort>\\d+</gatewayPort>",
            "<queue>listkeeper-delivery</queue><mxPort>" + SINK_A.port() + "</mxPort><connectTimeout>2s</connectTimeout>"))
        .build();

    private static SmtpSink sink(String address, int port, List<String> received) {
        try {
            return SmtpSink.start((sender, recipients, raw) -> received.addAll(recipients), InetAddress.getByName(address), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeSinks() throws Exception {
        SINK_A.close();
        SINK_B.close();
    }

    @Test
    void eachDomainsCopiesShouldReachItsOwnMxOverOneReusedConnection() throws Exception {
        String list = "mx@lists.example.org";
        SERVER.createList(list, "{\"delivery\":\"personalized\"}", "a1@a.example", "a2@a.example", "a3@a.example", "b1@b.example",
            "b2@b.example");

        SERVER.post("poster@outside.example", List.of(list), message(list, "<mx-1@outside.example>"));
        await().atMost(Duration.ofSeconds(60)).until(() -> AT_A.size() == 3 && AT_B.size() == 2);
        SERVER.post("poster@outside.example", List.of(list), message(list, "<mx-2@outside.example>"));
        await().atMost(Duration.ofSeconds(60)).until(() -> AT_A.size() == 6 && AT_B.size() == 4);

        assertThat(AT_A).containsOnly("a1@a.example", "a2@a.example", "a3@a.example");
        assertThat(AT_B).containsOnly("b1@b.example", "b2@b.example");
        assertThat(SINK_A.connections()).isEqualTo(1);
        assertThat(SINK_B.connections()).isEqualTo(1);
        // the same, as list delivery counts it per destination
        MetricsProbe metrics = SERVER.james().getProbe(MetricsProbe.class);
        assertThat(metrics.count("listkeeper_delivery_connections_opened_to_a_example")).isEqualTo(1);
        assertThat(metrics.count("listkeeper_delivery_connections_reused_to_a_example")).isEqualTo(1);
        assertThat(metrics.count("listkeeper_delivery_transactions_to_a_example")).isEqualTo(6);
        assertThat(metrics.count("listkeeper_delivery_recipients_delivered_to_b_example")).isEqualTo(4);
        assertThat(metrics.count("listkeeper_delivery_recipients_deferred")).isZero();
    }

    private static String message(String list, String messageId) {
        return "From: poster@outside.example\r\nTo: " + list + "\r\nSubject: MX\r\nMessage-ID: " + messageId + "\r\n"
            + "Date: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nHello.\r\n";
    }
}
