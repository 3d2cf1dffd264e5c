package org.listkeeper.moderation;

import java.util.Locale;

/** Where a held post stands. Only {@link #HELD} waits for a moderator. */
public enum HeldState {
    HELD, ACCEPTED, REJECTED, DISCARDED, EXPIRED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The past participle moderators read: "already accepted by …". */
    public String done() {
        return value();
    }

    public static HeldState parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
