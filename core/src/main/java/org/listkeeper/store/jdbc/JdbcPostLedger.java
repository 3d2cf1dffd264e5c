package org.listkeeper.store.jdbc;



import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.mail.internet.AddressException;
import javax.sql.DataSource;
import org.apache.james.core.MailAddress;
import org.listkeeper.NoSuchListException;
import org.listkeeper.StoreException;
import org.listkeeper.StoreUnavailableException;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.MemberCursor;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.pipeline.DeliveryRecord;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.pipeline.TransportStep;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link PostLedger} on JDBC: one row per post, claims keyed by (list, Message-ID) and (list, post, batch). */
final class JdbcPostLedger implements PostLedger {
    private final JdbcSession session;

    JdbcPostLedger(JdbcSession session) {
        this.session = session;
    }


    @Override
    public Claim claimMessageId(long listId, String messageIdKey, String postKey, Instant now, Duration window) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                session.autocommit("claiming a Message-ID", c -> {
                    try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO lk_message_id (list_id, message_id_key, post_key, claimed_at) VALUES (?, ?, ?, ?)")) {
                        insert.setLong(1, listId);
                        insert.setString(2, messageIdKey);
                        insert.setString(3, postKey);
                        insert.setLong(4, now.toEpochMilli());
                        insert.executeUpdate();
                    }
                    return null;
                });
                return Claim.claimed();
            } catch (UniqueViolation taken) {
                Optional<Claim> answer = session.inTransaction("reading a Message-ID claim", c -> {
                    String owner;
                    long claimedAt;
                    try (PreparedStatement select = c.prepareStatement(
                        "SELECT post_key, claimed_at FROM lk_message_id WHERE list_id = ? AND message_id_key = ?")) {
                        select.setLong(1, listId);
                        select.setString(2, messageIdKey);
                        try (ResultSet rs = select.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.<Claim>empty(); // purged meanwhile: insert again
                            }
                            owner = rs.getString(1);
                            claimedAt = rs.getLong(2);
                        }
                    }
                    if (owner.equals(postKey)) {
                        return Optional.of(Claim.claimed());
                    }
                    if (claimedAt >= now.minus(window).toEpochMilli()) {
                        return Optional.of(Claim.duplicateOf(owner));
                    }
                    // the earlier claim is older than the window: take it over, unless someone else just did
                    try (PreparedStatement update = c.prepareStatement("UPDATE lk_message_id SET post_key = ?, claimed_at = ?"
                        + " WHERE list_id = ? AND message_id_key = ? AND post_key = ? AND claimed_at = ?")) {
                        update.setString(1, postKey);
                        update.setLong(2, now.toEpochMilli());
                        update.setLong(3, listId);
                        update.setString(4, messageIdKey);
                        update.setString(5, owner);
                        update.setLong(6, claimedAt);
                        return update.executeUpdate() > 0 ? Optional.of(Claim.claimed()) : Optional.<Claim>empty();
                    }
                });
                if (answer.isPresent()) {
                    return answer.get();
                }
            }
        }
        throw new StoreUnavailableException("Message-ID claim of " + postKey + " kept changing under concurrent updates", null);
    }

    @Override
    public long assignPostNumber(long listId, String postKey, Instant now) {
        ensurePost(listId, postKey, now);
        return session.inTransaction("assigning a post number", c -> {
            try (PreparedStatement select = c.prepareStatement(
                "SELECT post_number FROM lk_post WHERE list_id = ? AND post_key = ? FOR UPDATE")) {
                select.setLong(1, listId);
                select.setString(2, postKey);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("Post " + postKey + " vanished while numbering it", null);
                    }
                    long existing = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return existing;
                    }
                }
            }
            try (PreparedStatement bump = c.prepareStatement("UPDATE lk_list SET last_post_number = last_post_number + 1 WHERE id = ?")) {
                bump.setLong(1, listId);
                if (bump.executeUpdate() == 0) {
                    throw new NoSuchListException("#" + listId);
                }
            }
            long number;
            try (PreparedStatement select = c.prepareStatement("SELECT last_post_number FROM lk_list WHERE id = ?")) {
                select.setLong(1, listId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    number = rs.getLong(1);
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                "UPDATE lk_post SET post_number = ?, updated_at = ? WHERE list_id = ? AND post_key = ?")) {
                update.setLong(1, number);
                update.setLong(2, now.toEpochMilli());
                update.setLong(3, listId);
                update.setString(4, postKey);
                update.executeUpdate();
            }
            return number;
        });
    }

    @Override
    public FanoutProgress fanoutProgress(long listId, String postKey) {
        return session.inTransaction("reading fan-out progress", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT fanout_done_domain, fanout_done_address,"
                + " fanout_flight_domain, fanout_flight_address, fanout_completed, fanout_batches, fanout_recipients, fanout_mode"
                + " FROM lk_post WHERE list_id = ? AND post_key = ?")) {
                select.setLong(1, listId);
                select.setString(2, postKey);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return FanoutProgress.notStarted();
                    }
                    return FanoutProgress.of(cursor(rs.getString(1), rs.getString(2)), cursor(rs.getString(3), rs.getString(4)),
                        rs.getBoolean(5), rs.getInt(6), rs.getInt(7), rs.getString(8));
                }
            }
        });
    }

    private static MemberCursor cursor(String domain, String address) {
        return domain == null || address == null ? null : MemberCursor.of(domain, address);
    }

    @Override
    public void fanoutBatchStarting(long listId, String postKey, MemberCursor batchEnd, String mode, Instant now) {
        ensurePost(listId, postKey, now);
        updatePost("recording a fan-out batch start", "fanout_flight_domain = ?, fanout_flight_address = ?,"
            + " fanout_mode = COALESCE(fanout_mode, ?)", listId, postKey, now, batchEnd.domain(), batchEnd.addressKey(), mode);
    }

    @Override
    public void fanoutBatchHandedOff(long listId, String postKey, MemberCursor batchEnd, int recipients, Optional<MemberCursor> next,
                                     Instant now) {
        // the post row exists: fanoutBatchStarting created it before the first batch of this run
        updatePost("recording a fan-out batch", "fanout_done_domain = ?, fanout_done_address = ?, fanout_flight_domain = ?,"
                + " fanout_flight_address = ?, fanout_batches = fanout_batches + 1, fanout_recipients = fanout_recipients + "
                + Math.max(0, recipients),
            listId, postKey, now, batchEnd.domain(), batchEnd.addressKey(), next.map(MemberCursor::domain).orElse(null),
            next.map(MemberCursor::addressKey).orElse(null));
    }

    @Override
    public void fanoutCompleted(long listId, String postKey, Instant now) {
        ensurePost(listId, postKey, now);
        updatePost("recording a completed fan-out", "fanout_completed = TRUE, fanout_flight_domain = NULL, fanout_flight_address = NULL",
            listId, postKey, now);
    }

    private void updatePost(String operation, String assignments, long listId, String postKey, Instant now, String... values) {
        // one statement: atomic on its own, without the round trips of an explicit transaction
        session.autocommit(operation, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE lk_post SET " + assignments + ", updated_at = ?"
                + " WHERE list_id = ? AND post_key = ?")) {
                int index = 1;
                for (String value : values) {
                    update.setString(index++, value);
                }
                update.setLong(index++, now.toEpochMilli());
                update.setLong(index++, listId);
                update.setString(index, postKey);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Creates the post row if it is missing; a concurrent creation is as good as our own. */
    private void ensurePost(long listId, String postKey, Instant now) {
        try {
            session.autocommit("recording a post", c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_post (list_id, post_key, received_at, updated_at)"
                    + " SELECT ?, ?, ?, ? FROM lk_list WHERE id = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM lk_post WHERE list_id = ? AND post_key = ?)")) {
                    insert.setLong(1, listId);
                    insert.setString(2, postKey);
                    insert.setLong(3, now.toEpochMilli());
                    insert.setLong(4, now.toEpochMilli());
                    insert.setLong(5, listId);
                    insert.setLong(6, listId);
                    insert.setString(7, postKey);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (UniqueViolation raced) {
            // another thread created the row between our check and our insert
        }
    }

    @Override
    public Claim claimBatch(long listId, String postKey, String batchKey, String holder, Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                session.autocommit("claiming a fan-out batch", c -> {
                    try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO lk_batch_claim (list_id, post_key, batch_key, holder, claimed_at) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setLong(1, listId);
                        insert.setString(2, postKey);
                        insert.setString(3, batchKey);
                        insert.setString(4, holder);
                        insert.setLong(5, now.toEpochMilli());
                        insert.executeUpdate();
                    }
                    return null;
                });
                return Claim.claimed();
            } catch (UniqueViolation taken) {
                Optional<String> owner = session.inTransaction("reading a fan-out batch claim", c -> {
                    try (PreparedStatement select = c.prepareStatement(
                        "SELECT holder FROM lk_batch_claim WHERE list_id = ? AND post_key = ? AND batch_key = ?")) {
                        select.setLong(1, listId);
                        select.setString(2, postKey);
                        select.setString(3, batchKey);
                        try (ResultSet rs = select.executeQuery()) {
                            return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                        }
                    }
                });
                if (owner.isPresent()) {
                    return owner.get().equals(holder) ? Claim.claimed() : Claim.duplicateOf(owner.get());
                }
                // purged meanwhile: claim again
            }
        }
        throw new StoreUnavailableException("Batch claim of " + postKey + " kept changing under concurrent updates", null);
    }

    @Override
    public TransportStep transportStep(String item, int attempt) {
        return session.inTransaction("reading a transport mark", c -> {
            try (PreparedStatement select = c.prepareStatement(
                "SELECT done_at FROM lk_transport_item WHERE item_name = ? AND attempt = ?")) {
                select.setString(1, item);
                select.setInt(2, attempt);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return TransportStep.NONE;
                    }
                    rs.getLong(1);
                    return rs.wasNull() ? TransportStep.QUEUED : TransportStep.DONE;
                }
            }
        });
    }

    @Override
    public void transportQueued(long listId, String item, int attempt, Instant now) {
        try {
            session.autocommit("marking a transport item queued", c -> {
                try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO lk_transport_item (item_name, attempt, list_id, queued_at) SELECT ?, ?, ?, ? FROM lk_list"
                        + " WHERE id = ? AND NOT EXISTS (SELECT 1 FROM lk_transport_item WHERE item_name = ? AND attempt = ?)")) {
                    insert.setString(1, item);
                    insert.setInt(2, attempt);
                    insert.setLong(3, listId);
                    insert.setLong(4, now.toEpochMilli());
                    insert.setLong(5, listId);
                    insert.setString(6, item);
                    insert.setInt(7, attempt);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (UniqueViolation raced) {
            // marked by a concurrent call: the mark is there, which is all this asks
        }
    }

    @Override
    public void transportDone(long listId, String item, int attempt, Instant now) {
        for (int tries = 0; tries < 3; tries++) {
            try {
                session.autocommit("marking a transport item done", c -> {
                    try (PreparedStatement update = c.prepareStatement(
                        "UPDATE lk_transport_item SET done_at = ? WHERE item_name = ? AND attempt = ? AND done_at IS NULL")) {
                        update.setLong(1, now.toEpochMilli());
                        update.setString(2, item);
                        update.setInt(3, attempt);
                        if (update.executeUpdate() > 0) {
                            return null;
                        }
                    }
                    // queued without a mark (the store was away then): the mark says done from the start
                    try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO lk_transport_item (item_name, attempt, list_id, queued_at, done_at) SELECT ?, ?, ?, ?, ?"
                            + " FROM lk_list WHERE id = ? AND NOT EXISTS"
                            + " (SELECT 1 FROM lk_transport_item WHERE item_name = ? AND attempt = ?)")) {
                        insert.setString(1, item);
                        insert.setInt(2, attempt);
                        insert.setLong(3, listId);
                        insert.setLong(4, now.toEpochMilli());
                        insert.setLong(5, now.toEpochMilli());
                        insert.setLong(6, listId);
                        insert.setString(7, item);
                        insert.setInt(8, attempt);
                        insert.executeUpdate();
                    }
                    return null;
                });
                return;
            } catch (UniqueViolation raced) {
                // queued mark written meanwhile: update it on the next turn
            }
        }
        throw new StoreUnavailableException("Transport mark of " + item + " kept changing under concurrent updates", null);
    }

    @Override
    public Optional<DeliveryRecord> deliveryRecord(String item, int attempt) {
        return session.inTransaction("reading a delivery record", c -> {
            try (PreparedStatement select = c.prepareStatement(
                "SELECT delivered, failed, deferred, next_queued FROM lk_delivery_outcome WHERE item = ? AND attempt = ?")) {
                select.setString(1, item);
                select.setInt(2, attempt);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<DeliveryRecord>empty();
                    }
                    String deferred = rs.getString(3);
                    List<String> recipients = deferred.isEmpty() ? List.of() : List.of(deferred.split("\n"));
                    return Optional.of(DeliveryRecord.of(rs.getInt(1), rs.getInt(2), recipients, rs.getBoolean(4)));
                }
            }
        });
    }

    @Override
    public boolean recordDelivery(long listId, String postKey, String item, int attempt, DeliveryRecord record, Instant now) {
        try {
            return session.autocommit("recording a delivery", c -> {
                try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO lk_delivery_outcome (item, attempt, list_id, post_key, delivered, failed, deferred, next_queued, recorded_at)"
                        + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM lk_list WHERE id = ?")) {
                    insert.setString(1, item);
                    insert.setInt(2, attempt);
                    insert.setLong(3, listId);
                    insert.setString(4, postKey);
                    insert.setInt(5, record.delivered());
                    insert.setInt(6, record.failed());
                    insert.setString(7, String.join("\n", record.deferred()));
                    insert.setBoolean(8, record.nextQueued());
                    insert.setLong(9, now.toEpochMilli());
                    insert.setLong(10, listId);
                    insert.executeUpdate();
                }
                return true;
            });
        } catch (UniqueViolation recorded) {
            return false;
        }
    }

    @Override
    public void deliveryRetryQueued(String item, int attempt) {
        session.autocommit("recording a queued delivery retry", c -> {
            try (PreparedStatement update = c.prepareStatement(
                "UPDATE lk_delivery_outcome SET next_queued = ? WHERE item = ? AND attempt = ?")) {
                update.setBoolean(1, true);
                update.setString(2, item);
                update.setInt(3, attempt);
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public String claimDelivery(String item, int attempt, String holder, Instant now) {
        try {
            session.autocommit("claiming a delivery", c -> JdbcSession.execute(c, "INSERT INTO lk_delivery_claim (item, attempt, holder, claimed_at)"
                + " VALUES (?, ?, ?, ?)", item, attempt, holder, now.toEpochMilli()));
            return holder;
        } catch (UniqueViolation claimed) {
            return session.inTransaction("reading a delivery claim", c -> JdbcSession.one(c, "SELECT holder FROM lk_delivery_claim"
                + " WHERE item = ? AND attempt = ?", rs -> rs.getString(1), item, attempt))
                // forgotten in between (a purge): claim it again
                .orElseGet(() -> claimDelivery(item, attempt, holder, now));
        }
    }

    @Override
    public boolean takeOverDelivery(String item, int attempt, String previous, String holder) {
        return session.autocommit("taking a delivery claim over", c -> JdbcSession.execute(c, "UPDATE lk_delivery_claim SET holder = ?"
            + " WHERE item = ? AND attempt = ? AND holder = ?", holder, item, attempt, previous)) > 0;
    }

    @Override
    public int purgeClaimsBefore(Instant before) {
        return session.inTransaction("purging old claims", c -> {
            int purged = 0;
            for (String table : List.of("lk_message_id", "lk_batch_claim")) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE claimed_at < ?")) {
                    delete.setLong(1, before.toEpochMilli());
                    purged += delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_transport_item WHERE queued_at < ?")) {
                delete.setLong(1, before.toEpochMilli());
                purged += delete.executeUpdate();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_delivery_outcome WHERE recorded_at < ?")) {
                delete.setLong(1, before.toEpochMilli());
                purged += delete.executeUpdate();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_delivery_claim WHERE claimed_at < ?")) {
                delete.setLong(1, before.toEpochMilli());
                purged += delete.executeUpdate();
            }
            return purged;
        });
    }
}
