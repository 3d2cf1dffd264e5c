package org.listkeeper.membership;

import java.util.Locale;

/**
 * What a token may be used for. A token presented for another purpose is refused, so a member's
 * confirmation can never approve a request or the other way round.
 */
public enum TokenAction {
    /** The address confirms its own request (join or leave). */
    CONFIRM,
    /** A moderator approves a request by replying to the notice. */
    APPROVE,
    /** A moderator decides on a held post by replying to the notice (accept, or reject/discard on the first line). */
    MODERATE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenAction parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
