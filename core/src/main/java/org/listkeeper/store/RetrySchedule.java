package org.listkeeper.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When each post waiting for a retry is due, for a James whose queue does not honour enqueue delays (James's RabbitMQ
 * queue enqueues at once): the post waits in a mail repository of the list store, and any node brings it back when it
 * is due. A node claims a due post before it brings it back, so two nodes do not both queue it; a claim that is not
 * followed by {@link #forget} (the node died in between) runs out, and another node brings the post back.
 */
public interface RetrySchedule {
    /** The post under {@code key} is due at {@code due} (replacing an earlier time for it). */
    void schedule(String key, Instant due);

    /** Up to {@code limit} keys due at {@code now} and not claimed (or whose claim ran out), the longest due first. */
    List<String> due(Instant now, int limit);

    /** Claims the due post {@code key} for {@code holder} until {@code now + lease}: false if another holds it or it is gone. */
    boolean claim(String key, String holder, Instant now, Duration lease);

    /** The post was brought back: forgets it. */
    void forget(String key);

    Optional<Instant> dueAt(String key);

    /** How many posts wait. */
    long count();
}
