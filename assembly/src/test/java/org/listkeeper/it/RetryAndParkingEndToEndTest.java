package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.pipeline.PostProgress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Transient failures are retried with backoff and permanent ones parked, then replayed, over real SMTP. */
class RetryAndParkingEndToEndTest {
    private static final String PIPELINE =
        "mime-check,duplicate-check,list-headers,post-number,side-effects,flaky,breakable,subject-prefix,footer,fan-out";
    private static final MailRepositoryUrl PARKED = MailRepositoryUrl.from("memory://var/mail/listkeeper/parked/");

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .extensionModule(TestHandlers.class)
        .mailetContainer(xml -> ListkeeperServer.replace(xml,
            "<pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out</pipeline>",
            "<pipeline>" + PIPELINE + "</pipeline>"))
        .build();

    private static String message(String messageId, String subject) {
        return "From: alice@example.com\nTo: ops@lists.example.org\nSubject: " + subject + "\nMessage-ID: " + messageId
            + "\n\nbody\n";
    }

    @Test
    void transientFailuresShouldBeRetriedWithBackoffAndDeliverOnce() throws Exception {
        SERVER.createList("ops@lists.example.org", "{}", "ann@member.example", "bob@member.example", "cid@member.example");

        SERVER.post("alice@example.com", List.of("ops@lists.example.org"), message("<flaky@example.com>", "[flaky] retry me"));

        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<flaky@example.com>", 3);
        assertThat(deliveries).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example", "cid@member.example");
        List<Instant> attempts = TestHandlers.FLAKY.calls("<flaky@example.com>");
        assertThat(attempts).hasSize(3);
        // backoff: 300 ms before the first retry, 600 ms before the second (configured base 300 ms)
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(Duration.between(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(550));
        assertThat(TestHandlers.SIDE_EFFECTS.calls("<flaky@example.com>")).hasSize(1);
        MetricsProbe metrics = SERVER.james().getProbe(MetricsProbe.class);
        assertThat(metrics.count("listkeeper_posts_retried")).isGreaterThanOrEqualTo(2);
        assertThat(metrics.count("listkeeper_posts_delivered")).isPositive();
        assertThat(metrics.count("listkeeper_posts_received")).isPositive();
    }

    @Test
    void handlerBugOnOnePostShouldParkItWhileEveryOtherPostFlows() throws Exception {
        SERVER.createList("flow@lists.example.org", "{}", "ann@member.example", "bob@member.example");
        TestHandlers.BROKEN.set(true);
        for (int i = 0; i < 6; i++) {
            String subject = i == 3 ? "[break] the odd one" : "ordinary post " + i;
            SERVER.post("alice@example.com", List.of("flow@lists.example.org"),
                message("<flow-" + i + "@example.com>", subject).replace("ops@", "flow@"));
        }

        for (int i = 0; i < 6; i++) {
            if (i != 3) {
                assertThat(SERVER.awaitDeliveries("<flow-" + i + "@example.com>", 2)).hasSize(2);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
            new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/flow@lists.example.org/parked").body()).size() == 1);
        JsonNode parked = new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/flow@lists.example.org/parked").body()).get(0);
        assertThat(parked.get("messageId").asText()).isEqualTo("<flow-3@example.com>");
        assertThat(SERVER.deliveriesOf("<flow-3@example.com>")).isEmpty();

        TestHandlers.BROKEN.set(false);
        SERVER.webAdmin().expect(204, SERVER.webAdmin().post("/lists/flow@lists.example.org/parked/"
            + parked.get("id").asText() + "?action=replay", ""));

        assertThat(SERVER.awaitDeliveries("<flow-3@example.com>", 2)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
    }

    @Test
    void parkedPostShouldBeListedAndReplayedThroughListRoutes() throws Exception {
        SERVER.createList("ops3@lists.example.org", "{}", "ann@member.example");
        TestHandlers.BROKEN.set(true);
        SERVER.post("alice@example.com", List.of("ops3@lists.example.org"),
            message("<routes@example.com>", "[break] replay me by route").replace("ops@", "ops3@"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
            new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/ops3@lists.example.org/parked").body()).size() == 1);
        JsonNode parked = new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/ops3@lists.example.org/parked").body()).get(0);
        assertThat(parked.get("handler").asText()).isEqualTo("breakable");
        assertThat(parked.get("error").asText()).contains("injected bug");
        assertThat(parked.get("messageId").asText()).isEqualTo("<routes@example.com>");
        assertThat(parked.get("subject").asText()).isEqualTo("[break] replay me by route");
        assertThat(parked.get("parkedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        String id = parked.get("id").asText();
        SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/ops3@lists.example.org/parked/" + id));
        SERVER.webAdmin().expect(404, SERVER.webAdmin().get("/lists/ops@lists.example.org/parked/" + id));
        SERVER.webAdmin().expect(400, SERVER.webAdmin().post("/lists/ops3@lists.example.org/parked/" + id + "?action=explode", ""));

        TestHandlers.BROKEN.set(false);
        SERVER.webAdmin().expect(204, SERVER.webAdmin().post("/lists/ops3@lists.example.org/parked/" + id + "?action=replay", ""));

        assertThat(SERVER.awaitDeliveries("<routes@example.com>", 1)).extracting(d -> d.recipient).containsExactly("ann@member.example");
        assertThat(new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/ops3@lists.example.org/parked").body())).isEmpty();
        SERVER.webAdmin().expect(404, SERVER.webAdmin().post("/lists/ops3@lists.example.org/parked/" + id + "?action=replay", ""));
    }

    @Test
    void discardedParkedPostShouldNeverBeDelivered() throws Exception {
        SERVER.createList("ops4@lists.example.org", "{}", "ann@member.example");
        TestHandlers.BROKEN.set(true);
        SERVER.post("alice@example.com", List.of("ops4@lists.example.org"),
            message("<discard@example.com>", "[break] drop me").replace("ops@", "ops4@"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
            new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/ops4@lists.example.org/parked").body()).size() == 1);
        String id = new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/ops4@lists.example.org/parked").body()).get(0).get("id").asText();

        SERVER.webAdmin().expect(204, SERVER.webAdmin().post("/lists/ops4@lists.example.org/parked/" + id + "?action=discard", ""));

        assertThat(new ObjectMapper().readTree(SERVER.webAdmin().get("/lists/ops4@lists.example.org/parked").body())).isEmpty();
        TestHandlers.BROKEN.set(false);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> SERVER.deliveriesOf("<discard@example.com>").isEmpty());
    }

    @Test
    void permanentFailureShouldParkWithStackTraceAndReplayShouldResumeAndDeliverOnce() throws Exception {
        SERVER.createList("ops2@lists.example.org", "{}", "ann@member.example", "bob@member.example");
        TestHandlers.BROKEN.set(true);
        MailRepositoryProbeImpl repositories = SERVER.james().getProbe(MailRepositoryProbeImpl.class);

        SERVER.post("alice@example.com", List.of("ops2@lists.example.org"),
            message("<broken@example.com>", "[break] park me").replace("ops@", "ops2@"));

        await().atMost(Duration.ofSeconds(30)).until(() -> repositories.getRepositoryMailCount(PARKED) == 1);
        MailKey key = repositories.listMailKeys(PARKED).get(0);
        Mail parked = repositories.getMail(PARKED, key);
        assertThat(PostProgress.string(parked, PostProgress.FAILED_HANDLER)).contains("breakable");
        assertThat(PostProgress.string(parked, PostProgress.ERROR)).hasValueSatisfying(e -> assertThat(e).contains("injected bug"));
        assertThat(PostProgress.string(parked, PostProgress.STACK_TRACE))
            .hasValueSatisfying(trace -> assertThat(trace).contains("java.lang.IllegalStateException: injected bug in breakable")
                .contains("at org.listkeeper.it.TestHandlers"));
        assertThat(SERVER.deliveriesOf("<broken@example.com>")).isEmpty();

        TestHandlers.BROKEN.set(false);
        String taskId = new ObjectMapper().readTree(SERVER.webAdmin().expect(201, SERVER.webAdmin().patch(
            "/mailRepositories/" + PARKED.getPath().urlEncoded() + "/mails/" + key.asString()
                + "?action=reprocess&processor=listkeeper")).body()).get("taskId").asText();
        JsonNode task = new ObjectMapper().readTree(SERVER.webAdmin().expect(200,
            SERVER.webAdmin().get("/tasks/" + taskId + "/await")).body());
        assertThat(task.get("status").asText()).isEqualTo("completed");

        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<broken@example.com>", 2);
        assertThat(deliveries).extracting(d -> d.recipient).containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
        assertThat(deliveries).allSatisfy(d -> assertThat(d.header("Subject")).isEqualTo("[ops2] [break] park me"));
        assertThat(TestHandlers.SIDE_EFFECTS.calls("<broken@example.com>")).hasSize(1);
        assertThat(TestHandlers.BREAKABLE.calls("<broken@example.com>")).hasSize(2);
        assertThat(repositories.getRepositoryMailCount(PARKED)).isZero();
        assertThat(SERVER.james().getProbe(MetricsProbe.class).count("listkeeper_posts_parked")).isPositive();
    }
}
