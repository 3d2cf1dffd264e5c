package org.listkeeper.membership;

import java.util.Locale;

/** Where a pending request stands. Only {@link #CONFIRMING} and {@link #APPROVING} are open. */
public enum RequestState {
    /** Waits for the address to confirm with its token. */
    CONFIRMING,
    /** Waits for a moderator. */
    APPROVING,
    DONE,
    REJECTED,
    EXPIRED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
        return this == CONFIRMING || this == APPROVING;
    }

    public static RequestState parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
