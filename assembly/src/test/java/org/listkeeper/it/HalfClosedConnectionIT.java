package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.testing.smtp.RecordingSmtpSink;

/**
 * The packaged server answers every transaction of a client that pipelines the final dot with {@code QUIT} and
 * half-closes its side (as Exim does): {@code 250} and {@code 221} every time, idle and while personalized fan-outs
 * to 1,000 members (30 posts, 30,000 copies) keep it busy. Before the fix James 3.8.1 closed on the end of input, sometimes before it
 * had written the replies, and the client sent the message again.
 */
class HalfClosedConnectionIT {
    private static final int TRIES = 200;
    private static final int BIG = 1000;
    /** Posts to the big list: enough copies that the fan-out outlasts the tries (list delivery sends thousands a second). */
    private static final int BIG_POSTS = 30;

    @TempDir
    Path directory;

    /** How many copies of {@code messageId} the sink received, to any recipient. */
    private static int count(RecordingSmtpSink sink, String messageId) {
        String prefix = RecordingSmtpSink.key(messageId, "");
        return sink.pairs().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(e -> e.getValue().get()).sum();
    }

    private static int missing(int port, String phase) throws Exception {
        int missing = 0;
        for (int i = 0; i < TRIES; i++) {
            List<String> codes = HalfCloseClient.send(port, "alice@example.com", "probe@lists.example.org",
                "From: alice@example.com\nTo: probe@lists.example.org\nSubject: " + phase + " " + i + "\nMessage-ID: <" + phase + "-" + i
                    + "@example.com>\n\nhalf-closed " + i + "\n");
            if (!codes.equals(List.of("250", "221"))) {
                missing++;
                System.out.println("half-close " + phase + " " + i + ": got " + codes);
            }
        }
        return missing;
    }

    @Test
    void everyTransactionShouldBeAnsweredBeforeTheServerClosesAHalfClosedConnection() throws Exception {
        try (RecordingSmtpSink sink = RecordingSmtpSink.start();
             ServerProcess server = new ServerProcess(directory.resolve("data"), List.of("--relay", "127.0.0.1:" + sink.port()))) {
            server.start();
            try {
                WebAdminClient web = new WebAdminClient(server.webAdminPort);
                web.expect(204, web.put("/lists/probe@lists.example.org", "{\"defaultNonmemberAction\":\"accept\"}"));
                web.expect(204, web.put("/lists/probe@lists.example.org/members/reader@members.example", ""));
                web.expect(204, web.put("/lists/big@lists.example.org", "{\"defaultNonmemberAction\":\"accept\",\"delivery\":\"personalized\"}"));
                List<Object> members = new ArrayList<>();
                for (int i = 0; i < BIG; i++) {
                    members.add("m" + i + "@members.example");
                }
                web.expect(201, web.post("/lists/big@lists.example.org/members?action=import",
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(members)));
                await().atMost(Duration.ofSeconds(60)).until(() -> web.get("/lists/big@lists.example.org").body().contains("\"members\":" + BIG));

                int idle = missing(server.smtpPort, "idle");

                for (int post = 0; post < BIG_POSTS; post++) {
                    assertThat(SmtpClient.send(server.smtpPort, "alice@example.com", List.of("big@lists.example.org"),
                        "From: alice@example.com\nSubject: big\nMessage-ID: <big-" + post + "@example.com>\n\nto a thousand\n").accepted())
                        .isTrue();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> count(sink, "<big-0@example.com>") > 0);
                int busy = missing(server.smtpPort, "busy");
                int delivered = 0;
                for (int post = 0; post < BIG_POSTS; post++) {
                    delivered += count(sink, "<big-" + post + "@example.com>");
                }
                System.out.printf("half-closed connections: idle %d of %d unanswered; during the fan-out %d of %d unanswered"
                    + " (the fan-outs had made %d of %d copies when the tries ended)%n", idle, TRIES, busy, TRIES, delivered, BIG * BIG_POSTS);

                assertThat(idle).isZero();
                assertThat(busy).isZero();
                assertThat(delivered).as("the tries ran during the fan-out").isLessThan(BIG * BIG_POSTS);
                // each post accepted once reached the list's member once (the busy ones wait behind the fan-out)
                for (int i = 0; i < TRIES; i++) {
                    assertThat(sink.count("<idle-" + i + "@example.com>", "reader@members.example")).isEqualTo(1);
                }
            } finally {
                server.keepLog("HalfClosedConnectionIT-server.log");
            }
        }
    }
}
