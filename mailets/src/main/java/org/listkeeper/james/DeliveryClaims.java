package org.listkeeper.james;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.store.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node delivers a list batch attempt, in a cluster. Two copies of one batch can be on the queue (one queued
 * again after a broker outage or a node's death) and two nodes can take them at once; within one node a batch waits
 * for its destinations and looks for its record again, but across nodes only the store can tell. So a node claims the
 * attempt in the store before it sends anything ({@link PostLedger#claimDelivery}); a copy whose attempt another
 * living node holds waits and looks again later, when that node's record is there. A node is alive while it renews its
 * lease {@code node:HOLDER} (every {@link #HEARTBEAT}, for {@link #ALIVE}); a claim of a node whose lease ran out
 * passes to the node that asks next. On a single node every claim is its own: nothing is written.
 */
public final class DeliveryClaims {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeliveryClaims.class);
    public static final Duration HEARTBEAT = Duration.ofSeconds(3);
    static final Duration ALIVE = Duration.ofSeconds(15);

    private final PostLedger posts;
    private final Leases leases;
    private final Clock clock;
    private final boolean cluster;
    private final String holder;

    public DeliveryClaims(PostLedger posts, Leases leases, Clock clock, boolean cluster) {
        this(posts, leases, clock, cluster, NodeName.holder());
    }

    DeliveryClaims(PostLedger posts, Leases leases, Clock clock, boolean cluster, String holder) {
        this.posts = posts;
        this.leases = leases;
        this.clock = clock;
        this.cluster = cluster;
        this.holder = holder;
    }

    /** Renews this node's lease of life; called every {@link #HEARTBEAT}. */
    public void heartbeat() {
        if (!cluster) {
            return;
        }
        try {
            leases.acquire(lease(holder), holder, clock.instant(), ALIVE);
        } catch (RuntimeException e) {
            LOGGER.warn("List delivery: cannot renew this node's lease ({}); other nodes may take its batches over", e.getMessage());
        }
    }

    /** Gives this node's lease up (it stops): its claims pass to other nodes at once. */
    public void stop() {
        if (cluster) {
            try {
                leases.release(lease(holder), holder);
            } catch (RuntimeException e) {
                LOGGER.debug("List delivery: cannot give up this node's lease: {}", e.getMessage());
            }
        }
    }

    /**
     * Claims attempt {@code attempt} of {@code item} for this node: empty when this node may deliver it, else the living
     * node that holds it.
     */
    public Optional<String> claim(String item, int attempt) {
        if (!cluster) {
            return Optional.empty();
        }
        String current = posts.claimDelivery(item, attempt, holder, clock.instant());
        if (current.equals(holder)) {
            return Optional.empty();
        }
        if (leases.holder(lease(current), clock.instant()).isPresent()) {
            return Optional.of(current);
        }
        // its node is gone: whatever it sent before it died may go twice (at most this batch), nothing is lost
        if (posts.takeOverDelivery(item, attempt, current, holder)) {
            LOGGER.info("List delivery: took attempt {} of batch {} over from {}, a node that is gone", attempt, item, current);
            return Optional.empty();
        }
        return Optional.of(posts.claimDelivery(item, attempt, holder, clock.instant()));
    }

    private static String lease(String holder) {
        return "node:" + holder;
    }
}
