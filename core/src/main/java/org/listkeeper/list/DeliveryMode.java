package org.listkeeper.list;

/**
 * How a post reaches the members: {@code bulk} hands batches of recipients one shared copy (fast, the default);
 * {@code personalized} gives every member a copy of their own, with their own envelope sender (VERP), footer
 * variables and one-click unsubscribe link.
 */
public enum DeliveryMode {
    BULK, PERSONALIZED;

    public String value() {
        return Enums.value(this);
    }

    public static DeliveryMode parse(String value) {
        return Enums.parse(DeliveryMode.class, "delivery", value);
    }
}
