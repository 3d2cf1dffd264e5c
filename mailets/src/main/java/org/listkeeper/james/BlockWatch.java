package org.listkeeper.james;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.listkeeper.bounces.BlockEvent;
import org.listkeeper.bounces.BounceRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a list's block event when a delivery to its domain succeeds. The open events are kept in memory and read
 * again every {@link #REFRESH} (or at once when this node opened or closed one), so a delivery costs a store query
 * only when its domain has an open event; another node's new event is seen within {@link #REFRESH}.
 */
final class BlockWatch {
    private static final Logger LOGGER = LoggerFactory.getLogger(BlockWatch.class);
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final BounceRecords bounces;
    private final Clock clock;
    private volatile Map<Long, Set<String>> open = Map.of();
    private volatile Instant loadedAt;

    BlockWatch(BounceRecords bounces, Clock clock) {
        this.bounces = bounces;
        this.clock = clock;
    }

    /** Forgets what is open, so the next delivery reads it again. */
    void invalidate() {
        loadedAt = null;
    }

    /** A list batch reached every one of its {@code recipients}. Never throws: a delivery report must not fail delivery. */
    void delivered(long listId, Collection<MailAddress> recipients) {
        Set<String> watched = current().getOrDefault(listId, Set.of());
        if (watched.isEmpty()) {
            return;
        }
        List<String> hit = recipients.stream().map(r -> r.getDomain().asString().toLowerCase(Locale.ROOT)).distinct()
            .filter(watched::contains).collect(Collectors.toList());
        if (hit.isEmpty()) {
            return;
        }
        try {
            int closed = bounces.closeBlocks(listId, hit, clock.instant(), "delivery");
            if (closed > 0) {
                LOGGER.info("Block event of {} on list {} closed: a delivery there succeeded", hit, listId);
            }
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot close the block event of {} on list {}: {}", hit, listId, e.getMessage());
        }
        invalidate();
    }

    private Map<Long, Set<String>> current() {
        Instant now = clock.instant();
        Instant loaded = loadedAt;
        if (loaded != null && loaded.plus(REFRESH).isAfter(now)) {
            return open;
        }
        try {
            Map<Long, Set<String>> read = new HashMap<>();
            for (BlockEvent event : bounces.openBlocks()) {
                read.computeIfAbsent(event.listId(), id -> new HashSet<>()).add(event.domain());
            }
            open = read;
        } catch (RuntimeException e) {
            LOGGER.debug("Cannot read the open block events: {}", e.getMessage());
        }
        loadedAt = now;
        return open;
    }
}
