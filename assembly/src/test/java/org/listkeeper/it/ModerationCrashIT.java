package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.testing.smtp.RecordingSmtpSink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * kill -9 of the packaged server while posts are held, and again while moderators' accepts are in flight:
 * after each restart every post is either still held or delivered, and in the end each reaches each member
 * exactly once. The relay refuses mail (451) until the kills are over, so that no delivery is cut by a kill
 * after the relay's 250: that window belongs to SMTP, not to moderation.
 */
class ModerationCrashIT {
    private static final int POSTS = 10;
    private static final int MEMBERS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void killWhileHeldAndWhileAcceptingShouldLeaveEveryPostHeldOrDeliveredOnce() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Path sampleConf = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"));
        Files.writeString(conf.resolve("mailetcontainer.xml"), ListkeeperServer.replace(
            Files.readString(sampleConf.resolve("mailetcontainer.xml")),
            "<delayTime>5000, 60000, 300000, 900000, 3600000</delayTime>", "<delayTime>60*1000</delayTime>",
            "<maxRetries>5</maxRetries>", "<maxRetries>60</maxRetries>"));
        try (RecordingSmtpSink sink = RecordingSmtpSink.start();
             ServerProcess server = new ServerProcess(directory.resolve("data"),
                 List.of("--relay", "127.0.0.1:" + sink.port(), "--conf", conf.toString()))) {
            sink.refuseUntil(Instant.now().plus(Duration.ofHours(1)));
            server.start();
            WebAdminClient web = new WebAdminClient(server.webAdminPort);
            web.expect(204, web.put("/lists/guarded@lists.example.org", "{\"footer\":\"\",\"moderatorNotification\":\"none\","
                + "\"notifyHeldPoster\":false}"));
            List<String> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add("member" + i + "@members.example");
                web.expect(204, web.put("/lists/guarded@lists.example.org/members/" + members.get(i), ""));
            }
            for (int post = 0; post < POSTS; post++) {
                String message = "From: outsider@outside.example\nTo: guarded@lists.example.org\nSubject: held " + post
                    + "\nMessage-ID: " + messageId(post) + "\n\nplease let this through\n";
                assertThat(SmtpClient.send(server.smtpPort, "outsider@outside.example", List.of("guarded@lists.example.org"), message)
                    .accepted()).isTrue();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> held(web).size() == POSTS);

            server.kill();
            server.start();
            WebAdminClient restarted = new WebAdminClient(server.webAdminPort);
            List<String> ids = held(restarted);
            assertThat(ids).as("held posts after a kill while they were held").hasSize(POSTS);

            ExecutorService moderators = Executors.newFixedThreadPool(4);
            for (String id : ids) {
                moderators.submit(() -> restarted.post("/lists/guarded@lists.example.org/held/" + id + "?action=accept", ""));
            }
            TimeUnit.MILLISECONDS.sleep(random.nextInt(400));
            server.kill();
            moderators.shutdownNow();
            moderators.awaitTermination(30, TimeUnit.SECONDS);
            server.start();
            WebAdminClient again = new WebAdminClient(server.webAdminPort);
            List<String> stillHeld = held(again);
            System.out.printf("moderation crash test: seed=%d, %d of %d posts still held after the kill during accepts%n", seed,
                stillHeld.size(), POSTS);
            for (String id : stillHeld) {
                HttpResponse<String> answer = again.post("/lists/guarded@lists.example.org/held/" + id + "?action=accept", "");
                assertThat(answer.statusCode()).as(answer.body()).isIn(200, 409);
            }

            sink.refuseUntil(Instant.EPOCH);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> sink.pairs().size() >= POSTS * MEMBERS);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() -> true);
            for (int post = 0; post < POSTS; post++) {
                for (String member : members) {
                    assertThat(sink.count(messageId(post), member)).as(messageId(post) + " to " + member).isEqualTo(1);
                }
            }
            assertThat(held(again)).isEmpty();
            assertThat(server.terminate()).isZero();
        }
    }

    private static List<String> held(WebAdminClient web) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode post : JSON.readTree(web.expect(200, web.get("/lists/guarded@lists.example.org/held")).body())) {
            ids.add(post.get("id").asText());
        }
        return ids;
    }

    private static String messageId(int post) {
        return "<held-" + post + "@outside.example>";
    }
}
