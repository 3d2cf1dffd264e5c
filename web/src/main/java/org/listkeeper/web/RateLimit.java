package org.listkeeper.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} requests per key within a fixed window (per client address, per target address), so that the
 * public forms cannot be used to flood a mailbox with confirmations. Counted in this node's memory: a cluster of N
 * nodes allows N times the limit, still a bound.
 */
final class RateLimit {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimit(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Counts one request for {@code key}; false when it is over the limit (and then it is not counted). */
    boolean tryAcquire(String key) {
        Instant now = clock.instant();
        if (windows.size() > 10_000) {
            prune(now);
        }
        boolean[] allowed = {false};
        windows.compute(key, (k, current) -> {
            Window w = current == null || !now.isBefore(current.start.plus(window)) ? new Window(now) : current;
            if (w.count < limit) {
                w.count++;
                allowed[0] = true;
            }
            return w;
        });
        return allowed[0];
    }

    private void prune(Instant now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().start.plus(window))) {
                it.remove();
            }
        }
    }

    private static final class Window {
        final Instant start;
        int count;

        Window(Instant start) {
            this.start = start;
        }
    }
}
