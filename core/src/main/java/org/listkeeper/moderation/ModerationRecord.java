package org.listkeeper.moderation;

import java.util.Objects;

import org.listkeeper.list.ModerationAction;

/** The moderation chain's decision on one post, recorded once so that a replay never decides again. */
public final class ModerationRecord {
    private final ModerationAction action;
    private final String rule;
    private final String reason;
    private final boolean notified;

    private ModerationRecord(ModerationAction action, String rule, String reason, boolean notified) {
        this.action = Objects.requireNonNull(action);
        this.rule = Objects.requireNonNull(rule);
        this.reason = Objects.requireNonNull(reason);
        this.notified = notified;
    }

    public static ModerationRecord of(ModerationAction action, String rule, String reason, boolean notified) {
        return new ModerationRecord(action, rule, reason, notified);
    }

    public ModerationAction action() {
        return action;
    }

    public String rule() {
        return rule;
    }

    public String reason() {
        return reason;
    }

    /** Whether the notices of this decision (a rejection notice) went out. */
    public boolean notified() {
        return notified;
    }

    public ModerationChain.Decision decision() {
        return new ModerationChain.Decision(action, rule, reason);
    }
}
