package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.testing.smtp.RecordingSmtpSink;

/**
 * The relay answers 451 for 20 s, then accepts: the packaged server's ListDelivery puts the deferred recipients
 * back on its queue and retries them (after 15 s, then 30 s), and every post reaches every member exactly once.
 */
class RelayOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int POSTS = 10;
    private static final int MEMBERS = 20;

    @TempDir
    Path directory;

    @Test
    void postsShouldBeDeliveredOnceAfterRelayRefusedThemFor20Seconds() throws Exception {
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Path sampleConf = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"));
        // retry sooner than the sample's first 5 s, 1 min, … so the test stays short
        Files.writeString(conf.resolve("mailetcontainer.xml"), ListkeeperServer.replace(
            Files.readString(sampleConf.resolve("mailetcontainer.xml")),
            "<delayTime>5000, 60000, 300000, 900000, 3600000</delayTime>", "<delayTime>3000, 6000, 12000, 24000, 48000</delayTime>"));

        try (RecordingSmtpSink sink = RecordingSmtpSink.start();
             ServerProcess server = new ServerProcess(directory.resolve("data"),
                 List.of("--relay", "127.0.0.1:" + sink.port(), "--conf", conf.toString()))) {
            server.start();
            WebAdminClient web = new WebAdminClient(server.webAdminPort);
            web.expect(204, web.put("/lists/relay@lists.example.org", "{\"defaultNonmemberAction\":\"accept\"}"));
            List<String> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add("m" + i + "@members.example");
                web.expect(204, web.put("/lists/relay@lists.example.org/members/m" + i + "@members.example", ""));
            }

            sink.refuseUntil(Instant.now().plus(OUTAGE));
            for (int post = 0; post < POSTS; post++) {
                assertThat(SmtpClient.send(server.smtpPort, "alice@example.com", List.of("relay@lists.example.org"),
                    "From: alice@example.com\nSubject: post " + post + "\nMessage-ID: <relay-" + post + "@example.com>\n\nbody\n")
                    .accepted()).isTrue();
            }

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> sink.pairs().size() >= POSTS * MEMBERS);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
            try {
                int lost = 0;
                for (int post = 0; post < POSTS; post++) {
                    for (String member : members) {
                        lost += sink.count("<relay-" + post + "@example.com>", member) == 0 ? 1 : 0;
                    }
                }
                int duplicates = sink.pairs().values().stream().mapToInt(count -> count.get() - 1).sum();
                System.out.printf("relay outage: posts=%d pairs expected=%d received=%d lost=%d duplicates=%d refused RCPTs=%d%n",
                    POSTS, POSTS * MEMBERS, sink.pairCount(), lost, duplicates, sink.refusals());

                assertThat(sink.refusals()).isPositive();
                assertThat(lost).isZero();
                assertThat(duplicates).isZero();
                assertThat(server.terminate()).isZero();
            } finally {
                server.keepLog("RelayOutageIT-server.log");
            }
        }
    }
}
