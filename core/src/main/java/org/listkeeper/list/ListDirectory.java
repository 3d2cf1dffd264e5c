package org.listkeeper.list;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.listkeeper.TransientFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which addresses are lists, answered from a snapshot of every list address so that SMTP intake and
 * routing do not hit the store for each recipient. The snapshot is reloaded when older than its time to
 * live (5 s by default), at once after a change made through this JVM ({@link #invalidate()}), and when an
 * address it does not know is asked about and it is older than a second: a list created through another node
 * of a cluster (or any other writer of the store) is routed here within a second of its creation, a deleted
 * one is forgotten within the time to live. When the store is down, the last good snapshot keeps answering;
 * with none at all the lookup fails transiently.
 */
public final class ListDirectory {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    /** How old a snapshot may be when an address it does not know is asked about. */
    static final Duration MISS_RECHECK = Duration.ofSeconds(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(ListDirectory.class);

    private final Lists lists;
    private final Duration ttl;
    private final Clock clock;
    private final Object reloadLock = new Object();
    private volatile Snapshot snapshot;

    public ListDirectory(Lists lists, Duration ttl, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.ttl = Objects.requireNonNull(ttl);
        this.clock = Objects.requireNonNull(clock);
    }

    public ListDirectory(Lists lists) {
        this(lists, DEFAULT_TTL, Clock.systemUTC());
    }

    /** The list reading of {@code recipient}, if it is one of a known list's addresses. */
    public Optional<ListRecipient> resolve(MailAddress recipient) {
        Optional<ListRecipient> known = resolve(current(ttl).listKeys, recipient);
        return known.isPresent() ? known : resolve(current(shorter(MISS_RECHECK)).listKeys, recipient);
    }

    private static Optional<ListRecipient> resolve(Set<String> lists, MailAddress recipient) {
        return ListRecipient.candidates(recipient).stream()
            .filter(candidate -> lists.contains(Addresses.key(candidate.list())))
            .findFirst();
    }

    /** True when {@code recipient} is the posting address of a known list. */
    public boolean isPostingAddress(MailAddress recipient) {
        String key = Addresses.key(recipient);
        return current(ttl).listKeys.contains(key) || current(shorter(MISS_RECHECK)).listKeys.contains(key);
    }

    private Duration shorter(Duration age) {
        return age.compareTo(ttl) < 0 ? age : ttl;
    }

    /** Loads the snapshot now (at start-up), so that routing has one to fall back on if the store goes away. */
    public void load() {
        current(ttl);
    }

    /** Marks the snapshot stale so the next lookup reads the store (and falls back to it if that fails). */
    public void invalidate() {
        Snapshot current = snapshot;
        if (current != null) {
            snapshot = new Snapshot(current.listKeys, Instant.EPOCH);
        }
    }

    /** The snapshot, reloaded first if it is {@code maxAge} old. */
    private Snapshot current(Duration maxAge) {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current != null && current.loadedAt.plus(maxAge).isAfter(now)) {
            return current;
        }
        synchronized (reloadLock) {
            current = snapshot;
            if (current != null && current.loadedAt.plus(maxAge).isAfter(now)) {
                return current;
            }
            try {
                Set<String> keys = lists.listAddresses().stream().map(Addresses::key).collect(Collectors.toUnmodifiableSet());
                Snapshot fresh = new Snapshot(keys, now);
                snapshot = fresh;
                return fresh;
            } catch (TransientFailureException e) {
                if (current != null) {
                    LOGGER.warn("List store unavailable, answering from the list snapshot of {}: {}", current.loadedAt, e.getMessage());
                    // keep answering from the stale snapshot, but try the store again after another ttl
                    snapshot = new Snapshot(current.listKeys, now);
                    return snapshot;
                }
                throw e;
            }
        }
    }

    private static final class Snapshot {
        private final Set<String> listKeys;
        private final Instant loadedAt;

        private Snapshot(Set<String> listKeys, Instant loadedAt) {
            this.listKeys = listKeys;
            this.loadedAt = loadedAt;
        }
    }
}
