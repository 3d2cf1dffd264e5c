package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** What every {@link Leases} implementation must do. */
public interface LeasesContract extends StoreContract {
    Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    Duration TTL = Duration.ofMinutes(15);

    private Leases leases() {
        return stores().leases();
    }

    @Test
    default void oneHolderAtATimeUntilTheLeaseExpires() {
        assertThat(leases().acquire("housekeeping", "node-a", NOW, TTL)).isTrue();
        assertThat(leases().acquire("housekeeping", "node-b", NOW.plusSeconds(60), TTL)).isFalse();
        // the holder renews it
        assertThat(leases().acquire("housekeeping", "node-a", NOW.plus(TTL).minusSeconds(1), TTL)).isTrue();
        assertThat(leases().acquire("housekeeping", "node-b", NOW.plus(TTL).plusSeconds(1), TTL)).isFalse();
        assertThat(leases().holder("housekeeping", NOW.plus(TTL))).contains("node-a");

        // node-a died: once its lease ran out, node-b takes it, and node-a back from the dead does not
        Instant expired = NOW.plus(TTL).minusSeconds(1).plus(TTL);
        assertThat(leases().acquire("housekeeping", "node-b", expired, TTL)).isTrue();
        assertThat(leases().acquire("housekeeping", "node-a", expired.plusSeconds(1), TTL)).isFalse();
        assertThat(leases().holder("housekeeping", expired.plusSeconds(1))).contains("node-b");
        // other leases are their own
        assertThat(leases().acquire("digests", "node-a", expired, TTL)).isTrue();
    }

    @Test
    default void aReleasedLeasePassesAtOnce() {
        assertThat(leases().acquire("housekeeping", "node-a", NOW, TTL)).isTrue();
        leases().release("housekeeping", "node-b");
        assertThat(leases().acquire("housekeeping", "node-b", NOW, TTL)).isFalse();
        leases().release("housekeeping", "node-a");
        assertThat(leases().holder("housekeeping", NOW)).isEmpty();
        assertThat(leases().acquire("housekeeping", "node-b", NOW, TTL)).isTrue();
    }

    @Test
    default void nodesAskingAtTheSameMomentShouldGetOneHolder() throws Exception {
        ExecutorService nodes = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "race-" + round;
                List<Callable<Boolean>> asks = new ArrayList<>();
                for (int node = 0; node < 6; node++) {
                    String holder = "node-" + node;
                    asks.add(() -> leases().acquire(name, holder, NOW, TTL));
                }
                int holders = 0;
                for (Future<Boolean> answer : nodes.invokeAll(asks)) {
                    holders += answer.get() ? 1 : 0;
                }
                assertThat(holders).as("holders of %s", name).isEqualTo(1);
            }
        } finally {
            nodes.shutdownNow();
        }
    }
}
