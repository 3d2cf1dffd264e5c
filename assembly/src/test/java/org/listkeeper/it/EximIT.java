package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.testing.smtp.RecordingSmtpSink;

/**
 * Debian's Exim 4.96 in front of the packaged server (the list domain's MX, relaying posts into Listkeeper) and
 * behind it (Listkeeper's {@code --relay}, delivering to the sink). Exim pipelines {@code QUIT} after the final dot
 * and half-closes; James 3.8.1 used to close before answering, so Exim deferred the post and sent it again.
 */
class EximIT {
    private static final int POSTS = 40;
    private static final List<String> MEMBERS = List.of("ann@members.example", "bob@members.example", "cid@members.example");

    @TempDir
    Path directory;

    @Test
    void postsThroughEximInFrontAndBehindShouldArriveOnceWithEximsLogClean() throws Exception {
        EximProcess.binary();
        int eximPort = ServerProcess.freePort();
        try (RecordingSmtpSink sink = RecordingSmtpSink.start();
             ServerProcess server = new ServerProcess(directory.resolve("data"), List.of("--relay", "127.0.0.1:" + eximPort));
             EximProcess exim = EximProcess.start(directory.resolve("exim"), eximPort, "lists.example.org", server.smtpPort, sink.port())) {
            server.start();
            try {
                WebAdminClient web = new WebAdminClient(server.webAdminPort);
                web.expect(204, web.put("/lists/team@lists.example.org", "{\"defaultNonmemberAction\":\"accept\"}"));
                for (String member : MEMBERS) {
                    web.expect(204, web.put("/lists/team@lists.example.org/members/" + member, ""));
                }

                // each post to the MX, as a sender's MTA would hand it over
                for (int post = 0; post < POSTS; post++) {
                    assertThat(SmtpClient.send(exim.port, "poster@senders.example", List.of("team@lists.example.org"),
                        "From: poster@senders.example\nTo: team@lists.example.org\nSubject: via exim " + post
                            + "\nMessage-ID: <exim-" + post + "@senders.example>\n\npost " + post + " through a real MX\n").accepted())
                        .isTrue();
                }

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> sink.pairCount() >= POSTS * MEMBERS.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> exim.queued() == 0);
                int duplicates = sink.pairs().values().stream().mapToInt(count -> count.get() - 1).sum();
                List<String> deferrals = exim.deferralsAndFailures();
                System.out.printf("exim in front and behind: %d posts, %d members, %d pairs received, %d duplicates, %d Exim"
                    + " deferrals or failures%n", POSTS, MEMBERS.size(), sink.pairCount(), duplicates, deferrals.size());
                deferrals.forEach(line -> System.out.println("exim: " + line));

                assertThat(deferrals).isEmpty();
                for (int post = 0; post < POSTS; post++) {
                    for (String member : MEMBERS) {
                        assertThat(sink.count("<exim-" + post + "@senders.example>", member)).as("post %d to %s", post, member).isEqualTo(1);
                    }
                }
                assertThat(duplicates).isZero();
                // Exim delivered both ways: into Listkeeper (the posts) and out of it (the members' copies)
                String log = exim.mainLog();
                assertThat(log.lines().filter(line -> line.contains(" => team@lists.example.org"))).hasSize(POSTS);
                assertThat(log.lines().filter(line -> line.contains(" => ") && line.contains("members.example"))).isNotEmpty();
            } finally {
                server.keepLog("EximIT-server.log");
                Path mainlog = directory.resolve("exim/log/mainlog");
                if (Files.exists(mainlog)) {
                    Files.copy(mainlog, Files.createDirectories(Path.of("target", "failsafe-reports")).resolve("EximIT-exim-mainlog"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
