package org.listkeeper.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What became of a post after one run of the engine, for the mailet to act on. */
public final class Disposition {
    /** The kinds of disposition. */
    public enum Kind {
        /** Every handler ran: the post has been handed on and the original is done with. */
        COMPLETED,
        /** A handler stopped the post on purpose (a loop, a duplicate). */
        DISCARDED,
        /** A handler failed transiently: run the post again after {@link #delay()}. */
        RETRY,
        /** A handler failed permanently or retries ran out: park the post for an operator. */
        PARK,
        /** A handler held the post for a moderator: keep it; accepted, it resumes after that handler. */
        HELD
    }

    private final Kind kind;
    private final String handler;
    private final String reason;
    private final Duration delay;
    private final int attempt;

    private Disposition(Kind kind, String handler, String reason, Duration delay, int attempt) {
        this.kind = kind;
        this.handler = handler;
        this.reason = reason;
        this.delay = delay;
        this.attempt = attempt;
    }

    static Disposition completed() {
        return new Disposition(Kind.COMPLETED, null, null, null, 0);
    }

    static Disposition discarded(String handler, String reason) {
        return new Disposition(Kind.DISCARDED, handler, reason, null, 0);
    }

    static Disposition retry(String handler, String reason, Duration delay, int attempt) {
        return new Disposition(Kind.RETRY, handler, reason, Objects.requireNonNull(delay), attempt);
    }

    static Disposition held(String handler, String reason) {
        return new Disposition(Kind.HELD, handler, reason, null, 0);
    }

    static Disposition park(String handler, String reason) {
        return new Disposition(Kind.PARK, handler, reason, null, 0);
    }

    public Kind kind() {
        return kind;
    }

    /** The handler that discarded, failed or was missing. */
    public Optional<String> handler() {
        return Optional.ofNullable(handler);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** For {@link Kind#RETRY}: how long to wait. */
    public Duration delay() {
        return delay == null ? Duration.ZERO : delay;
    }

    /** For {@link Kind#RETRY}: which retry this is (1 for the first). */
    public int attempt() {
        return attempt;
    }

    @Override
    public String toString() {
        switch (kind) {
            case COMPLETED:
                return "completed";
            case RETRY:
                return "retry #" + attempt + " of " + handler + " in " + delay + ": " + reason;
            default:
                return kind.name().toLowerCase() + " at " + handler + ": " + reason;
        }
    }
}
