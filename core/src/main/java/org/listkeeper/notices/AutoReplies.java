package org.listkeeper.notices;

import org.apache.james.core.MailAddress;

/** How many automatic replies each address got from a list today (RFC 3834: never a flood). */
public interface AutoReplies {

    /**
     * Counts one automatic reply to {@code address} on {@code epochDay} if fewer than {@code limit} were counted
     * (a limit of 0 means none); answers whether the reply may go.
     */
    boolean countAutoReply(long listId, MailAddress address, long epochDay, int limit);

    /** Forgets automatic-reply counts of days before {@code epochDay}; returns how many. */
    int purgeAutoRepliesBefore(long epochDay);
}
