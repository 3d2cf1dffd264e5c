package org.listkeeper.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.store.Stores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;

/** Two nodes taking two copies of one batch: one delivers, the other waits, and takes over only from a node gone. */
class DeliveryClaimsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final Stores stores = InMemoryStores.open();
    private final DeliveryClaims nodeA = new DeliveryClaims(stores.posts(), stores.leases(), clock, true, "node-a");
    private final DeliveryClaims nodeB = new DeliveryClaims(stores.posts(), stores.leases(), clock, true, "node-b");

    @AfterEach
    void tearDown() {
        stores.close();
    }

    @Test
    void theSecondCopyShouldWaitWhileTheFirstNodeLivesAndTakeOverWhenItIsGone() {
        nodeA.heartbeat();
        nodeB.heartbeat();

        assertThat(nodeA.claim("item-1", 0)).isEmpty();
        assertThat(nodeB.claim("item-1", 0)).contains("node-a");
        // node A still renews its lease: node B keeps waiting
        clock.advance(Duration.ofSeconds(10));
        nodeA.heartbeat();
        clock.advance(Duration.ofSeconds(10));
        assertThat(nodeB.claim("item-1", 0)).contains("node-a");
        // node A is killed: its lease runs out, and node B takes the batch over
        clock.advance(DeliveryClaims.ALIVE);
        nodeB.heartbeat();
        assertThat(nodeB.claim("item-1", 0)).isEmpty();
        assertThat(nodeA.claim("item-1", 0)).contains("node-b");
    }

    @Test
    void aNodeThatStopsShouldLetItsClaimsGoAtOnce() {
        nodeA.heartbeat();
        assertThat(nodeA.claim("item-1", 0)).isEmpty();
        nodeA.stop();
        assertThat(nodeB.claim("item-1", 0)).isEmpty();
    }

    @Test
    void aSingleNodeShouldNeitherWaitNorWrite() {
        DeliveryClaims single = new DeliveryClaims(stores.posts(), stores.leases(), clock, false, "node-a");
        single.heartbeat();
        assertThat(single.claim("item-1", 0)).isEmpty();
        assertThat(single.claim("item-1", 0)).isEmpty();
        // nothing claimed: a cluster node would get it
        assertThat(nodeB.claim("item-1", 0)).isEmpty();
        assertThat(stores.leases().holder("node:node-a", clock.instant())).isEmpty();
    }
}
