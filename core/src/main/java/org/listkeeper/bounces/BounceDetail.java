package org.listkeeper.bounces;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The last bounce a roster entry received, whatever its class (shown with the member), and the distinct days on
 * which its mailbox was reported full (a full mailbox counts only when it stays full).
 */
public final class BounceDetail {
    private static final BounceDetail NONE = new BounceDetail(null, null, null, 0, null);

    private final BounceClass lastClass;
    private final String lastReply;
    private final Instant lastAt;
    private final int fullDays;
    private final Instant lastFullAt;

    private BounceDetail(BounceClass lastClass, String lastReply, Instant lastAt, int fullDays, Instant lastFullAt) {
        this.lastClass = lastClass;
        this.lastReply = lastReply;
        this.lastAt = lastAt;
        this.fullDays = fullDays;
        this.lastFullAt = lastFullAt;
    }

    public static BounceDetail none() {
        return NONE;
    }

    public static BounceDetail of(BounceClass lastClass, String lastReply, Instant lastAt, int fullDays, Instant lastFullAt) {
        return new BounceDetail(lastClass, lastReply, lastAt, fullDays, lastFullAt);
    }

    public Optional<BounceClass> lastClass() {
        return Optional.ofNullable(lastClass);
    }

    /** What the receiving server answered, as the bounce reported it (at most 500 characters). */
    public Optional<String> lastReply() {
        return Optional.ofNullable(lastReply);
    }

    public Optional<Instant> lastAt() {
        return Optional.ofNullable(lastAt);
    }

    public int fullDays() {
        return fullDays;
    }

    public Optional<Instant> lastFullAt() {
        return Optional.ofNullable(lastFullAt);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BounceDetail)) {
            return false;
        }
        BounceDetail other = (BounceDetail) o;
        return fullDays == other.fullDays && lastClass == other.lastClass && Objects.equals(lastReply, other.lastReply)
            && Objects.equals(lastAt, other.lastAt) && Objects.equals(lastFullAt, other.lastFullAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastClass, lastReply, lastAt, fullDays, lastFullAt);
    }

    @Override
    public String toString() {
        return "BounceDetail{" + lastClass + " at " + lastAt + ", fullDays=" + fullDays + "}";
    }
}
