package org.listkeeper.list;

/** Whether a member currently receives posts. */
public enum Delivery {
    ENABLED, DISABLED;

    public String value() {
        return Enums.value(this);
    }

    public static Delivery parse(String value) {
        return Enums.parse(Delivery.class, "delivery", value);
    }
}
