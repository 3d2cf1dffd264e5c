package org.listkeeper.moderation;

import java.util.Objects;
import java.util.Optional;

import org.listkeeper.list.ModerationAction;

/** A rule's verdict: miss, or hit with a reason (and, for the roster rules, the action the roster gives). */
public final class RuleResult {
    private static final RuleResult MISS = new RuleResult(false, null, null);

    private final boolean hit;
    private final String reason;
    private final ModerationAction rosterAction;

    private RuleResult(boolean hit, String reason, ModerationAction rosterAction) {
        this.hit = hit;
        this.reason = reason;
        this.rosterAction = rosterAction;
    }

    public static RuleResult miss() {
        return MISS;
    }

    public static RuleResult hit(String reason) {
        return new RuleResult(true, Objects.requireNonNull(reason), null);
    }

    /** A hit whose action comes from the roster (a member's or known nonmember's moderation action). */
    public static RuleResult hit(String reason, ModerationAction action) {
        return new RuleResult(true, Objects.requireNonNull(reason), Objects.requireNonNull(action));
    }

    public boolean isHit() {
        return hit;
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    public Optional<ModerationAction> rosterAction() {
        return Optional.ofNullable(rosterAction);
    }

    @Override
    public String toString() {
        return hit ? "hit: " + reason : "miss";
    }
}
