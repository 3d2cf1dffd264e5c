package org.listkeeper.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;

/**
 * Where lists, rosters and the records that make post handling idempotent live.
 *
 * <p>Implementations are thread-safe and take no list-wide locks: concurrent spool threads and James
 * nodes are kept consistent by transactions and unique constraints. A store that cannot be reached
 * throws {@link StoreUnavailableException} (transient: retry later); any other store failure throws
 * {@link StoreException}.</p>
 */
public interface ListStore extends AutoCloseable {

    // ---- lists

    /** Creates the list, or applies {@code changes} to it when it exists. */
    MailingList saveList(MailAddress address, ListChanges changes);

    Optional<MailingList> findList(MailAddress address);

    /** The list, or {@link org.listkeeper.NoSuchListException}. */
    MailingList getList(MailAddress address);

    /** Every list with its member count, ordered by address. */
    List<ListSummary> lists();

    /** Deletes the list with its roster and post records; false when there was none. */
    boolean deleteList(MailAddress address);

    /** Every posting address, for routing. */
    Set<MailAddress> listAddresses();

    // ---- rosters

    /** Adds or replaces the roster entry of {@code member.address()}. */
    void saveMember(MailAddress list, Member member);

    Optional<Member> findMember(MailAddress list, MailAddress address);

    /** False when the address was not on the roster. */
    boolean removeMember(MailAddress list, MailAddress address);

    /** The whole roster of a list, ordered by address. */
    List<Member> members(MailAddress list);

    int memberCount(MailAddress list);

    /**
     * One page of the members whose delivery is enabled, ordered by (domain, address), starting after
     * {@code after} (from the beginning when empty).
     */
    List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit);

    // ---- post records (idempotency)

    /**
     * Records that {@code postKey} carries {@code messageIdKey} on the list. Answers whether this post
     * may go on: it may when nobody else claimed that Message-ID within {@code window} (or when it is
     * this post's own earlier claim, as on a replay).
     */
    Claim claimMessageId(long listId, String messageIdKey, String postKey, Instant now, Duration window);

    /** The post number of {@code postKey}, assigned from the list's sequence the first time only. */
    long assignPostNumber(long listId, String postKey, Instant now);

    /** How far the fan-out of {@code postKey} has got. */
    FanoutProgress fanoutProgress(long listId, String postKey);

    /** Records, before handing the first batch of a fan-out run on, which batch is in flight. */
    void fanoutBatchStarting(long listId, String postKey, MemberCursor batchEnd, Instant now);

    /**
     * Records, after a batch was handed on durably, that it is done and, in the same write, which batch is
     * in flight next (none after the last one): one store write per batch.
     */
    void fanoutBatchHandedOff(long listId, String postKey, MemberCursor batchEnd, int recipients, Optional<MemberCursor> next,
                              Instant now);

    /** Records that every batch of the post was handed on. */
    void fanoutCompleted(long listId, String postKey, Instant now);

    /**
     * Claims fan-out batch {@code batchKey} of {@code postKey} for the queue item {@code holder}. The first
     * holder keeps the claim; the same holder claiming again (its queue item redelivered) is answered
     * "claimed" too, so a claim can never strand a batch.
     */
    Claim claimBatch(long listId, String postKey, String batchKey, String holder, Instant now);

    /** Drops Message-ID and batch claims older than {@code before}; returns how many. */
    int purgeClaimsBefore(Instant before);

    @Override
    void close();
}
