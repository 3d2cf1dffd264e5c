package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link StoreRetrySchedulerEndToEndTest} guards against: on a queue that ignores enqueue delays, the queue's own
 * delay (the default {@code retryScheduler}) retries a transiently failing post at once, with no backoff.
 */
class DelayDroppingQueueEndToEndTest {
    private static final String PIPELINE = StoreRetrySchedulerEndToEndTest.PIPELINE;

    @RegisterExtension
    static final ListkeeperServer QUEUE = ListkeeperServer.builder()
        .queuesDroppingDelays()
        .extensionModule(TestHandlers.class)
        .mailetContainer(xml -> ListkeeperServer.replace(xml,
            "<pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out</pipeline>",
            "<pipeline>" + PIPELINE + "</pipeline>"))
        .build();

    private static String message(String messageId) {
        return StoreRetrySchedulerEndToEndTest.message(messageId);
    }

    @Test
    void theQueuesOwnDelayShouldBeLostAndTheRetriesComeAtOnce() throws Exception {
        QUEUE.createList("ops@lists.example.org", "{}", "ann@member.example");
        int droppedBefore = DelayDroppingQueues.DROPPED.get();

        QUEUE.post("alice@example.com", List.of("ops@lists.example.org"), message("<queue-retry@example.com>"));

        assertThat(QUEUE.awaitDeliveries("<queue-retry@example.com>", 1)).hasSize(1);
        List<Instant> attempts = TestHandlers.FLAKY.calls("<queue-retry@example.com>");
        assertThat(attempts).hasSize(3);
        assertThat(DelayDroppingQueues.DROPPED.get() - droppedBefore).as("delays the queue dropped").isEqualTo(2);
        assertThat(Duration.between(attempts.get(0), attempts.get(2))).isLessThan(Duration.ofMillis(300 + 600));
    }
}
