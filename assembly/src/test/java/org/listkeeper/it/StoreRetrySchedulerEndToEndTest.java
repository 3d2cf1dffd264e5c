package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backoff on a James whose queue ignores enqueue delays (as James's RabbitMQ queue does): with
 * {@code retryScheduler=store} a transiently failing post waits in the list store and comes back after the configured
 * delays ({@link DelayDroppingQueueEndToEndTest}: without it, the retries come at once).
 */
class StoreRetrySchedulerEndToEndTest {
    static final String PIPELINE = "mime-check,duplicate-check,list-headers,post-number,side-effects,flaky,subject-prefix,footer,fan-out";

    @RegisterExtension
    static final ListkeeperServer STORE = ListkeeperServer.builder()
        .queuesDroppingDelays()
        .extensionModule(TestHandlers.class)
        .mailetContainer(xml -> ListkeeperServer.replace(xml,
            "<pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out</pipeline>",
            "<pipeline>" + PIPELINE + "</pipeline><retryScheduler>store</retryScheduler>"))
        .build();

    static String message(String messageId) {
        return "From: alice@example.com\nTo: ops@lists.example.org\nSubject: [flaky] retry me\nMessage-ID: " + messageId + "\n\nbody\n";
    }

    @Test
    void theStoreShouldKeepTheBackoffThatTheQueueDrops() throws Exception {
        STORE.createList("ops@lists.example.org", "{}", "ann@member.example", "bob@member.example");
        int droppedBefore = DelayDroppingQueues.DROPPED.get();

        STORE.post("alice@example.com", List.of("ops@lists.example.org"), message("<store-retry@example.com>"));

        assertThat(STORE.awaitDeliveries("<store-retry@example.com>", 2)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
        List<Instant> attempts = TestHandlers.FLAKY.calls("<store-retry@example.com>");
        assertThat(attempts).hasSize(3);
        System.out.printf("store retry scheduler: attempts %s apart%n",
            List.of(Duration.between(attempts.get(0), attempts.get(1)), Duration.between(attempts.get(1), attempts.get(2))));
        // backoff as configured (base 300 ms, doubling), though the queue ignores delays
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(Duration.between(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(TestHandlers.SIDE_EFFECTS.calls("<store-retry@example.com>")).hasSize(1);
        assertThat(DelayDroppingQueues.DROPPED.get()).as("delays asked of the queue").isEqualTo(droppedBefore);
    }
}
