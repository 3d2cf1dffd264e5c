package org.listkeeper.list;

/** What happens to a post by an address: the action a member or known nonmember carries for moderation. */
public enum ModerationAction {
    ACCEPT, HOLD, REJECT, DISCARD, DEFER;

    public String value() {
        return Enums.value(this);
    }

    public static ModerationAction parse(String value) {
        return Enums.parse(ModerationAction.class, "moderationAction", value);
    }
}
