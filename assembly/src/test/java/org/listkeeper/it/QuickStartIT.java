package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.testing.smtp.RecordingSmtpSink;

/** The README's first command: the listkeeper script starts the server, and a post reaches a member through the relay. */
class QuickStartIT {
    @TempDir
    Path directory;

    @Test
    void readmeFirstCommandShouldStartServerThatDeliversThroughRelay() throws Exception {
        Path script = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf")).getParent().resolve("listkeeper");
        int smtpPort = ServerProcess.freePort();
        int webAdminPort = ServerProcess.freePort();
        Path log = directory.resolve("server.log");
        try (RecordingSmtpSink relay = RecordingSmtpSink.start()) {
            Process server = new ProcessBuilder("sh", script.toString(), "--data", directory.resolve("data").toString(),
                "--smtp-port", String.valueOf(smtpPort), "--webadmin-port", String.valueOf(webAdminPort),
                "--web-port", String.valueOf(ServerProcess.freePort()), "--relay", "127.0.0.1:" + relay.port())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                    Files.readString(log, StandardCharsets.UTF_8).contains("Listkeeper ready: smtp 127.0.0.1:" + smtpPort
                        + ", webadmin http://127.0.0.1:" + webAdminPort));
                WebAdminClient web = new WebAdminClient(webAdminPort);
                web.expect(204, web.put("/lists/team@lists.example.org", ""));
                web.expect(204, web.put("/lists/team@lists.example.org/members/alice@example.net", ""));
                web.expect(204, web.put("/lists/team@lists.example.org/members/bob@example.com", ""));
                web.expect(200, web.get("/healthcheck"));

                assertThat(SmtpClient.send(smtpPort, "bob@example.com", List.of("team@lists.example.org"),
                    "From: bob@example.com\nTo: team@lists.example.org\nSubject: hi\nMessage-ID: <quick@example.com>\n\nhello\n")
                    .accepted()).isTrue();

                await().atMost(Duration.ofSeconds(60)).until(() -> relay.count("<quick@example.com>", "alice@example.net") == 1);
                server.destroy();
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).isZero();
            } finally {
                if (server.isAlive()) {
                    server.destroyForcibly().waitFor();
                }
            }
        }
    }
}
