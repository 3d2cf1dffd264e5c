package org.listkeeper.pipeline;

import java.time.Duration;
import java.util.Objects;

import org.listkeeper.InvalidValueException;

/** Exponential backoff for transient failures: base × 2^(attempt-1), capped, for a bounded number of attempts. */
public final class RetryPolicy {
    public static final Duration DEFAULT_BASE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 12;

    private final Duration base;
    private final Duration maxDelay;
    private final int maxAttempts;

    private RetryPolicy(Duration base, Duration maxDelay, int maxAttempts) {
        this.base = base;
        this.maxDelay = maxDelay;
        this.maxAttempts = maxAttempts;
    }

    public static RetryPolicy of(Duration base, Duration maxDelay, int maxAttempts) {
        Objects.requireNonNull(base);
        Objects.requireNonNull(maxDelay);
        if (base.isNegative() || base.isZero()) {
            throw new InvalidValueException("retryBaseDelay", base.toString(), "must be positive");
        }
        if (maxDelay.compareTo(base) < 0) {
            throw new InvalidValueException("retryMaxDelay", maxDelay.toString(), "must not be shorter than retryBaseDelay " + base);
        }
        if (maxAttempts < 0 || maxAttempts > 1000) {
            throw new InvalidValueException("retryMaxAttempts", String.valueOf(maxAttempts), "expected 0 to 1000");
        }
        return new RetryPolicy(base, maxDelay, maxAttempts);
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_BASE, DEFAULT_MAX_DELAY, DEFAULT_MAX_ATTEMPTS);
    }

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    public Duration delayBefore(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration delay = base.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** How many retries a post gets before it is parked. */
    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration base() {
        return base;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RetryPolicy)) {
            return false;
        }
        RetryPolicy other = (RetryPolicy) o;
        return base.equals(other.base) && maxDelay.equals(other.maxDelay) && maxAttempts == other.maxAttempts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, maxDelay, maxAttempts);
    }

    @Override
    public String toString() {
        return "RetryPolicy{base=" + base + ", max=" + maxDelay + ", attempts=" + maxAttempts + "}";
    }
}
