package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What every {@link RetrySchedule} implementation must do. */
public interface RetryScheduleContract extends StoreContract {
    Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    Duration CLAIM = Duration.ofMinutes(1);

    private RetrySchedule schedule() {
        return stores().retrySchedule();
    }

    @Test
    default void postsShouldComeDueInTheOrderOfTheirTimes() {
        schedule().schedule("late", NOW.plusSeconds(60));
        schedule().schedule("soon", NOW.plusSeconds(5));
        schedule().schedule("sooner", NOW.plusSeconds(1));

        assertThat(schedule().due(NOW, 10)).isEmpty();
        assertThat(schedule().due(NOW.plusSeconds(5), 10)).containsExactly("sooner", "soon");
        assertThat(schedule().due(NOW.plusSeconds(60), 2)).containsExactly("sooner", "soon");
        assertThat(schedule().count()).isEqualTo(3);
        // scheduled again: the new time counts
        schedule().schedule("late", NOW);
        assertThat(schedule().dueAt("late")).contains(NOW);
        assertThat(schedule().due(NOW, 10)).containsExactly("late");
    }

    @Test
    default void oneNodeShouldClaimADuePostAndAnotherTakeItOverWhenTheClaimRunsOut() {
        schedule().schedule("post", NOW);

        assertThat(schedule().claim("post", "node-a", NOW.plusSeconds(1), CLAIM)).isTrue();
        assertThat(schedule().claim("post", "node-b", NOW.plusSeconds(2), CLAIM)).isFalse();
        assertThat(schedule().due(NOW.plusSeconds(2), 10)).isEmpty();
        // node-a died before it brought the post back
        assertThat(schedule().due(NOW.plusSeconds(61), 10)).containsExactly("post");
        assertThat(schedule().claim("post", "node-b", NOW.plusSeconds(61), CLAIM)).isTrue();

        schedule().forget("post");
        assertThat(schedule().due(NOW.plusSeconds(200), 10)).isEmpty();
        assertThat(schedule().claim("post", "node-a", NOW.plusSeconds(200), CLAIM)).isFalse();
        assertThat(schedule().count()).isZero();
    }

    @Test
    default void aPostNotYetDueShouldNotBeClaimed() {
        schedule().schedule("post", NOW.plusSeconds(30));
        assertThat(schedule().claim("post", "node-a", NOW, CLAIM)).isFalse();
    }
}
