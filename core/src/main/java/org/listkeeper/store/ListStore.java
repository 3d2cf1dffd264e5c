package org.listkeeper.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;

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

    /**
     * Adds the entry unless its address is already on the roster; false (and nothing changed) when it was.
     * Concurrent adds of one address: exactly one returns true.
     */
    boolean addMember(MailAddress list, Member member);

    /** The whole roster of a list, ordered by address. */
    List<Member> members(MailAddress list);

    /** One page of the roster ({@code offset} entries skipped), ordered by address, optionally of one role only. */
    List<Member> members(MailAddress list, Optional<Role> role, int offset, int limit);

    /** Roster entries that receive posts (every role but nonmember). */
    int memberCount(MailAddress list);

    /** Roster entries of {@code role}, or of every role when empty. */
    int memberCount(MailAddress list, Optional<Role> role);

    /**
     * One page of the entries that receive posts (delivery enabled, not a nonmember), ordered by (domain,
     * address), starting after {@code after} (from the beginning when empty).
     */
    List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit);

    /**
     * As {@link #deliveryPage(long, Optional, int)}, leaving out {@code author} when that member does not want
     * copies of their own posts.
     */
    List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit, Optional<MailAddress> author);

    // ---- pending requests and tokens

    /** Records a new request; its id is assigned here. */
    PendingRequest createRequest(long listId, RequestAction action, Member subject, RequestState state, String requestedBy,
                                 Instant now, Instant expiresAt);

    Optional<PendingRequest> findRequest(long listId, long requestId);

    /** The open, unexpired request of {@code address} for {@code action}, if any (the newest). */
    Optional<PendingRequest> openRequest(long listId, RequestAction action, MailAddress address, Instant now);

    /** Every open, unexpired request of the list, oldest first. */
    List<PendingRequest> openRequests(long listId, Instant now);

    /**
     * Moves a request from {@code from} to {@code to} when it is still in {@code from}: true for the one caller
     * that made the move, false for every other (it was handled meanwhile).
     */
    boolean moveRequest(long requestId, RequestState from, RequestState to, String decidedBy, Instant now);

    /** Marks open requests past their expiry as expired; returns how many. */
    int expireRequests(Instant now);

    /** Records a token bound to a request or (a moderator's) to a held post. */
    void saveToken(String tokenHash, long listId, TokenAction action, String addressKey, Optional<Long> requestId,
                   Optional<Long> heldId, Instant now, Instant expiresAt);

    Optional<TokenRecord> findToken(String tokenHash);

    /**
     * Uses a token once: true when this call used it, or when {@code usedBy} already had (a replay of the same
     * request mail); false when someone else used it first.
     */
    boolean useToken(String tokenHash, String usedBy, Instant now);

    /** Drops tokens that expired before {@code before}; returns how many. */
    int purgeTokensBefore(Instant before);

    // ---- moderation

    /** The moderation chain's recorded decision on a post, if it made one. */
    Optional<ModerationRecord> moderation(long listId, String postKey);

    /**
     * Records the chain's decision on a post unless one is recorded; answers the recorded one (the earlier, when
     * two runs of the same post race).
     */
    ModerationRecord recordModeration(long listId, String postKey, ModerationAction action, String rule, String reason, Instant now);

    /** Marks the notices of a post's decision as sent: true for the one caller that does so. */
    boolean markModerationNotified(long listId, String postKey);

    /** Records a held post unless the same post is recorded; answers the record. */
    HeldPost holdPost(long listId, String postKey, String mailKey, String sender, String subject, String reasons, Instant now,
                      Instant expiresAt);

    Optional<HeldPost> findHeld(long listId, long heldId);

    /** The list's held posts held since {@code since} (decided ones too), oldest first. */
    List<HeldPost> heldPosts(long listId, Instant since);

    /** Decides a held post when it is still in {@code from}: true for the one caller that did. */
    boolean decideHeld(long heldId, HeldState from, HeldState to, String decidedBy, String note, Instant now);

    /** Marks a held post's notices as sent: true for the one caller that does so. */
    boolean markHeldNotified(long heldId);

    /** Claims the list's daily summary of held posts when none was sent since {@code before}: true for one caller. */
    boolean claimHeldSummary(long listId, Instant before, Instant now);

    // ---- bounces

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

    // ---- one-click unsubscribe

    /**
     * The one-click unsubscribe token of each of {@code members} (address key → token), issuing one to those without,
     * in one transaction.
     */
    Map<String, String> unsubscribeTokens(long listId, Collection<MailAddress> members, Instant now);

    /** The list and member a token was issued to, while that address is still on the list's roster. */
    Optional<UnsubscribeTarget> unsubscribeTarget(String token);

    /** Withdraws a member's token: the links already sent stop working, the next copy carries a new one. */
    boolean revokeUnsubscribeToken(long listId, MailAddress address);

    // ---- automatic replies and templates

    /**
     * Counts one automatic reply to {@code address} on {@code epochDay} if fewer than {@code limit} were counted
     * (a limit of 0 means none); answers whether the reply may go.
     */
    boolean countAutoReply(long listId, MailAddress address, long epochDay, int limit);

    /** Forgets automatic-reply counts of days before {@code epochDay}; returns how many. */
    int purgeAutoRepliesBefore(long epochDay);

    /** The list's own version of a template, if it has one. */
    Optional<String> template(long listId, String name);

    void saveTemplate(long listId, String name, String body);

    boolean deleteTemplate(long listId, String name);

    // ---- transactions

    /**
     * Runs {@code work}, and every store call it makes on this thread, as one transaction: all or nothing. A
     * unique-key conflict with a concurrent writer runs it again. Nested calls join the outer transaction.
     */
    <T> T atomically(java.util.function.Supplier<T> work);

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

    /**
     * Records, before handing the first batch of a fan-out run on, which batch is in flight, and pins the fan-out's
     * {@code mode} unless an earlier run pinned one already.
     */
    void fanoutBatchStarting(long listId, String postKey, MemberCursor batchEnd, String mode, Instant now);

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
