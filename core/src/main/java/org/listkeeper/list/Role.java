package org.listkeeper.list;

import java.util.Locale;

import org.listkeeper.InvalidValueException;

/** What a roster entry may do on a list. Every role receives posts while its delivery is enabled. */
public enum Role {
    OWNER, MODERATOR, MEMBER;

    /** The lower-case name used in configuration, JSON and the store. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        for (Role role : values()) {
            if (role.value().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return role;
            }
        }
        throw new InvalidValueException("role", String.valueOf(value), "expected one of owner, moderator, member");
    }
}
