package org.listkeeper.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.listkeeper.list.MemberCursor;

/**
 * What the pipeline records of each post so that a replay repeats nothing: its Message-ID claim, its post number, how far
 * its fan-out got and which batches were handed on.
 */
public interface PostLedger {

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

    /**
     * Where attempt {@code attempt} (the transport's retry count) of the transport queue item named {@code item} stands:
     * not seen, put on the queue, or finished.
     */
    TransportStep transportStep(String item, int attempt);

    /** Records, after the transport queue took it, that attempt {@code attempt} of {@code item} is queued (idempotent). */
    void transportQueued(long listId, String item, int attempt, Instant now);

    /**
     * Records, before the transport queue forgets it, that attempt {@code attempt} of {@code item} is finished: delivered,
     * bounced, or queued again as the next attempt (idempotent).
     */
    void transportDone(long listId, String item, int attempt, Instant now);

    /** What attempt {@code attempt} of the list delivery item {@code item} came to; empty before it was recorded. */
    Optional<DeliveryRecord> deliveryRecord(String item, int attempt);

    /**
     * Records, in one write and before the queue item is acknowledged, what attempt {@code attempt} of the list delivery
     * item {@code item} came to. Answers false when that attempt was recorded already (by an earlier hand-over of the
     * same queue item), in which case the record there stands.
     */
    boolean recordDelivery(long listId, String postKey, String item, int attempt, DeliveryRecord record, Instant now);

    /**
     * Claims attempt {@code attempt} of the list delivery item {@code item} for {@code holder} (a node) before it sends
     * anything: answers {@code holder} when the claim is (now) its own, or the other holder that claimed it first. Two
     * copies of one batch on the queue (one queued again after a broker outage or a crash) may be taken by two nodes at
     * once; only the claim's holder delivers.
     */
    String claimDelivery(String item, int attempt, String holder, Instant now);

    /** Hands the claim of attempt {@code attempt} of {@code item} from {@code previous} (a node gone) to {@code holder}. */
    boolean takeOverDelivery(String item, int attempt, String previous, String holder);

    /** Records that the next attempt after {@code attempt} of {@code item} is on the queue. */
    void deliveryRetryQueued(String item, int attempt);

    /** Drops Message-ID and batch claims and transport marks older than {@code before}; returns how many. */
    int purgeClaimsBefore(Instant before);
}
