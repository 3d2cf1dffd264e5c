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
            "<pipeline>mime-check,duplicate-check,list-headers,post-number,subject-prefix,footer,fan-out</pipeline>",
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
    }

    @Test
    void permanentFailureShouldParkWithStackTraceAndReplayShouldResumeAndDeliverOnce() throws Exception {
        SERVER.createList("ops2@lists.example.org", "{}", "ann@member.example", "bob@member.example");
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
    }
}
