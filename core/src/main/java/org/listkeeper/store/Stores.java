package org.listkeeper.store;

import org.listkeeper.Transactions;
import org.listkeeper.archive.Archive;
import org.listkeeper.digest.DigestStore;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Roster;
import org.listkeeper.membership.ConfirmationTokens;
import org.listkeeper.membership.Requests;
import org.listkeeper.moderation.HeldPosts;
import org.listkeeper.moderation.ModerationRecords;
import org.listkeeper.notices.AutoReplies;
import org.listkeeper.notices.TemplateStore;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.unsubscribe.UnsubscribeTokens;

/**
 * Where lists, rosters and the records that make post handling idempotent live: one store per aggregate, all on one
 * database, so that a unit of work spanning aggregates ({@link #transactions()}) is one transaction. Callers take the
 * narrowest aggregate they need; only the code that wires components together sees this whole.
 *
 * <p>Implementations are thread-safe and take no list-wide locks: concurrent spool threads and James nodes are kept
 * consistent by transactions and unique constraints. A store that cannot be reached throws
 * {@link org.listkeeper.StoreUnavailableException} (transient: retry later); any other store failure throws
 * {@link org.listkeeper.StoreException}.</p>
 */
public interface Stores extends AutoCloseable {
    Lists lists();

    Roster roster();

    PostLedger posts();

    Requests requests();

    ConfirmationTokens tokens();

    ModerationRecords moderationRecords();

    HeldPosts heldPosts();

    BounceRecords bounces();

    UnsubscribeTokens unsubscribeTokens();

    org.listkeeper.signin.SignIns signIns();

    AutoReplies autoReplies();

    TemplateStore templates();

    Archive archive();

    DigestStore digests();

    /** The James mail repositories kept in this store (held and parked posts that every node of a cluster sees). */
    MailRepositories mailRepositories();

    /** Work only one node may do at a time. */
    Leases leases();

    /** When posts waiting for a retry are due (the store-backed retry scheduler). */
    RetrySchedule retrySchedule();

    Transactions transactions();

    @Override
    void close();
}
