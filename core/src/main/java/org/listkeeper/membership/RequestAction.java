package org.listkeeper.membership;

import java.util.Locale;

import org.listkeeper.InvalidValueException;

/** What a pending request asks for. */
public enum RequestAction {
    SUBSCRIBE, UNSUBSCRIBE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RequestAction parse(String value) {
        for (RequestAction action : values()) {
            if (action.value().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return action;
            }
        }
        throw new InvalidValueException("action", String.valueOf(value), "expected subscribe or unsubscribe");
    }
}
