package org.listkeeper.list;

/**
 * How a request to join becomes a membership: at once, after the address confirms, after a moderator
 * approves, or after both (confirmation first).
 */
public enum SubscriptionPolicy {
    OPEN, CONFIRM, MODERATE, CONFIRM_THEN_MODERATE;

    public String value() {
        return Enums.value(this);
    }

    public boolean needsConfirmation() {
        return this == CONFIRM || this == CONFIRM_THEN_MODERATE;
    }

    public boolean needsApproval() {
        return this == MODERATE || this == CONFIRM_THEN_MODERATE;
    }

    public static SubscriptionPolicy parse(String value) {
        return Enums.parse(SubscriptionPolicy.class, "subscriptionPolicy", value);
    }
}
