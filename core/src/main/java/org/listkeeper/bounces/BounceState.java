package org.listkeeper.bounces;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A roster entry's bounce record: its score, its last bounce, the warnings sent since delivery was disabled. */
public final class BounceState {
    private static final BounceState CLEAN = new BounceState(0, null, 0, null);

    private final int score;
    private final Instant lastBounceAt;
    private final int warnings;
    private final Instant lastWarningAt;

    private BounceState(int score, Instant lastBounceAt, int warnings, Instant lastWarningAt) {
        this.score = score;
        this.lastBounceAt = lastBounceAt;
        this.warnings = warnings;
        this.lastWarningAt = lastWarningAt;
    }

    public static BounceState clean() {
        return CLEAN;
    }

    public static BounceState of(int score, Instant lastBounceAt, int warnings, Instant lastWarningAt) {
        return new BounceState(score, lastBounceAt, warnings, lastWarningAt);
    }

    public int score() {
        return score;
    }

    public Optional<Instant> lastBounceAt() {
        return Optional.ofNullable(lastBounceAt);
    }

    public int warnings() {
        return warnings;
    }

    public Optional<Instant> lastWarningAt() {
        return Optional.ofNullable(lastWarningAt);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BounceState)) {
            return false;
        }
        BounceState other = (BounceState) o;
        return score == other.score && warnings == other.warnings && Objects.equals(lastBounceAt, other.lastBounceAt)
            && Objects.equals(lastWarningAt, other.lastWarningAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(score, lastBounceAt, warnings, lastWarningAt);
    }

    @Override
    public String toString() {
        return "BounceState{score=" + score + ", last=" + lastBounceAt + ", warnings=" + warnings + "}";
    }
}
