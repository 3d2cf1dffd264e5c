package org.listkeeper.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Work only one node of a cluster may do at a time (housekeeping: expiring held posts, closing digests, bounce decay,
 * forgetting old tokens), given to one holder at a time by a row with an expiry. The holder renews it at each run; a
 * holder that dies stops renewing, and the lease passes to the next node that asks once it has expired. A conditional
 * update and the table's unique key decide, never a lock in one JVM.
 */
public interface Leases {
    /**
     * Takes or renews the lease {@code name} for {@code holder} until {@code now + ttl}: true when {@code holder} holds it
     * now (it was free, expired, or already its own), false while another holder's lease runs.
     */
    boolean acquire(String name, String holder, Instant now, Duration ttl);

    /** Gives the lease up if {@code holder} holds it, so another node need not wait for it to expire. */
    void release(String name, String holder);

    /** Who holds the lease {@code name} at {@code now}, if anyone. */
    java.util.Optional<String> holder(String name, Instant now);
}
