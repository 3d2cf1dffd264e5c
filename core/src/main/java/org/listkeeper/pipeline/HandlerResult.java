package org.listkeeper.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * What a handler decided: let the post go on, stop it here (a discard is an outcome, not an error), or hold it
 * for a moderator (it resumes after this handler when accepted).
 */
public final class HandlerResult {
    /** The kinds of result. */
    public enum Kind { PROCEED, DISCARD, HOLD }

    private static final HandlerResult PROCEED = new HandlerResult(Kind.PROCEED, null);

    private final Kind kind;
    private final String reason;

    private HandlerResult(Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    public static HandlerResult proceed() {
        return PROCEED;
    }

    /** Stops the post for good; {@code reason} is logged for the operator. */
    public static HandlerResult discard(String reason) {
        return new HandlerResult(Kind.DISCARD, Objects.requireNonNull(reason));
    }

    /** Holds the post for a moderator; {@code reason} tells them why. */
    public static HandlerResult hold(String reason) {
        return new HandlerResult(Kind.HOLD, Objects.requireNonNull(reason));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandlerResult && ((HandlerResult) o).kind == kind && Objects.equals(((HandlerResult) o).reason, reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reason);
    }

    @Override
    public String toString() {
        return reason == null ? kind.name().toLowerCase() : kind.name().toLowerCase() + " (" + reason + ")";
    }
}
