package org.listkeeper.membership;

/** What a membership action did. */
public enum Outcome {
    SUBSCRIBED,
    ALREADY_MEMBER,
    CONFIRMATION_SENT,
    AWAITING_APPROVAL,
    UNSUBSCRIBED,
    NOT_A_MEMBER,
    APPROVED,
    REJECTED,
    /** The request or token was handled before: a polite no-op. */
    ALREADY_HANDLED,
    TOKEN_UNKNOWN,
    TOKEN_EXPIRED,
    TOKEN_WRONG_LIST,
    TOKEN_WRONG_ACTION,
    NO_SUCH_REQUEST;

    /** Whether the action was refused (the token or request did not allow it). */
    public boolean refused() {
        return this == TOKEN_UNKNOWN || this == TOKEN_EXPIRED || this == TOKEN_WRONG_LIST || this == TOKEN_WRONG_ACTION
            || this == NO_SUCH_REQUEST;
    }
}
