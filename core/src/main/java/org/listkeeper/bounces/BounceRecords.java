package org.listkeeper.bounces;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.Member;

/**
 * Each roster entry's bounce record, the opaque VERP tokens that stand for long addresses, the log of bounces read
 * (by class and receiving domain) and the block events it reveals.
 */
public interface BounceRecords {

    /** The bounce record of a roster entry; empty when the address is not on the roster. */
    Optional<BounceState> bounceState(long listId, MailAddress address);

    /** Replaces the bounce record of a roster entry; false when the address is not on the roster. */
    boolean saveBounceState(long listId, MailAddress address, BounceState state);

    /** Roster entries whose delivery bounce processing disabled. */
    List<Member> disabledByBounce(long listId);

    /** Forgets scores of entries whose last bounce is older than {@code before}; returns how many. */
    int forgetBouncesBefore(long listId, Instant before);

    /** The opaque VERP token of a roster entry, made the first time it is asked for. */
    String verpToken(long listId, MailAddress address, Instant now);

    /** The address an opaque VERP token stands for on the list. */
    Optional<String> verpAddress(long listId, String token);

    /** The last bounce of a roster entry and its full-mailbox days; empty when the address is not on the roster. */
    Optional<BounceDetail> bounceDetail(long listId, MailAddress address);

    /** Replaces the last bounce and full-mailbox days of a roster entry; false when the address is not on the roster. */
    boolean saveBounceDetail(long listId, MailAddress address, BounceDetail detail);

    /**
     * Logs one bounce read from the mail {@code mailKey}; false (and nothing logged) when that mail's bounce for that
     * address was logged before, as when a crash makes bounce processing run again.
     */
    boolean logBounce(long listId, String mailKey, BounceLogEntry entry);

    /** Distinct addresses at {@code domain} the log shows refused for policy since {@code since}. */
    int policyRefusals(long listId, String domain, Instant since);

    /** Bounces logged since {@code since}, by class and receiving domain. */
    List<BounceSummary> bounceSummary(long listId, Instant since);

    /** Forgets log entries older than {@code before}; returns how many. */
    int forgetBounceLogBefore(long listId, Instant before);

    /**
     * Opens a block event for {@code domain} unless one is open already: answers the new event, or empty when one was
     * open (so that only one bounce, on one node, opens it and tells the owners).
     */
    Optional<BlockEvent> openBlock(long listId, String domain, Instant since, Instant now, String reply);

    /** The list's block events, open ones first then the most recent; with the members each counts. */
    List<BlockEvent> blocks(long listId, boolean openOnly, int limit);

    /** Every open block event of every list (list id and domain only are needed). */
    List<BlockEvent> openBlocks();

    /** Closes the open events of these domains opened before {@code at}; answers how many it closed. */
    int closeBlocks(long listId, Collection<String> domains, Instant at, String by);

    /** Closes one event of the list; false when there is no such open event. */
    boolean closeBlock(long listId, long id, Instant at, String by);
}
