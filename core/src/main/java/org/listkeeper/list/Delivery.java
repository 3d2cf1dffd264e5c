package org.listkeeper.list;

import java.util.Locale;

import org.listkeeper.InvalidValueException;

/** Whether a member currently receives posts. */
public enum Delivery {
    ENABLED, DISABLED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Delivery parse(String value) {
        for (Delivery delivery : values()) {
            if (delivery.value().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return delivery;
            }
        }
        throw new InvalidValueException("delivery", String.valueOf(value), "expected one of enabled, disabled");
    }
}
