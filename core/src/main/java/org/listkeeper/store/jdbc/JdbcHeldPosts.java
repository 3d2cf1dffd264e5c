package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.instant;
import static org.listkeeper.store.jdbc.JdbcSession.one;

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
import org.listkeeper.moderation.HeldPosts;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link HeldPosts} on JDBC. */
final class JdbcHeldPosts implements HeldPosts {
    private final JdbcSession session;

    JdbcHeldPosts(JdbcSession session) {
        this.session = session;
    }

    private static final String HELD_COLUMNS = "id, list_id, post_key, mail_key, sender, subject, reasons, held_at, expires_at,"
        + " state, decided_by, decided_at";

    @Override
    public HeldPost holdPost(long listId, String postKey, String mailKey, String sender, String subject, String reasons, Instant now,
                             Instant expiresAt) {
        try {
            session.autocommit("holding a post", c -> execute(c, "INSERT INTO lk_held (list_id, post_key, mail_key, sender, subject, reasons,"
                + " held_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held')", listId, postKey, mailKey, sender, subject,
                reasons, now.toEpochMilli(), expiresAt.toEpochMilli()));
        } catch (UniqueViolation raced) {
            // the same post was held before (a replay): that record stands
        }
        return session.inTransaction("reading a held post", c -> one(c, "SELECT " + HELD_COLUMNS + " FROM lk_held WHERE list_id = ?"
            + " AND post_key = ?", JdbcHeldPosts::readHeld, listId, postKey))
            .orElseThrow(() -> new StoreException("The held post " + postKey + " vanished", null));
    }

    @Override
    public Optional<HeldPost> findHeld(long listId, long heldId) {
        return session.inTransaction("reading a held post", c -> one(c, "SELECT " + HELD_COLUMNS + " FROM lk_held WHERE list_id = ? AND id = ?",
            JdbcHeldPosts::readHeld, listId, heldId));
    }

    @Override
    public List<HeldPost> heldPosts(long listId, Instant since) {
        return session.inTransaction("listing held posts", c -> all(c, "SELECT " + HELD_COLUMNS + " FROM lk_held WHERE list_id = ?"
            + " AND held_at >= ? ORDER BY held_at, id", JdbcHeldPosts::readHeld, listId, since.toEpochMilli()));
    }

    @Override
    public boolean decideHeld(long heldId, HeldState from, HeldState to, String decidedBy, String note, Instant now) {
        return session.autocommit("deciding a held post", c -> execute(c, "UPDATE lk_held SET state = ?, decided_by = ?, decided_at = ?,"
            + " decision_note = ? WHERE id = ? AND state = ?", to.value(), decidedBy, now.toEpochMilli(), note, heldId, from.value()) > 0);
    }

    @Override
    public boolean markHeldNotified(long heldId) {
        return session.autocommit("marking held post notices", c -> execute(c, "UPDATE lk_held SET notified = TRUE WHERE id = ?"
            + " AND notified = FALSE", heldId) > 0);
    }

    @Override
    public boolean claimHeldSummary(long listId, Instant before, Instant now) {
        return session.autocommit("claiming the held summary", c -> execute(c, "UPDATE lk_list SET held_summary_at = ? WHERE id = ?"
            + " AND (held_summary_at IS NULL OR held_summary_at <= ?)", now.toEpochMilli(), listId, before.toEpochMilli()) > 0);
    }

    private static HeldPost readHeld(ResultSet rs) throws SQLException {
        return HeldPost.of(rs.getLong("id"), rs.getLong("list_id"), rs.getString("post_key"), rs.getString("mail_key"),
            rs.getString("sender"), rs.getString("subject"), rs.getString("reasons"), Instant.ofEpochMilli(rs.getLong("held_at")),
            Instant.ofEpochMilli(rs.getLong("expires_at")), HeldState.parse(rs.getString("state")), rs.getString("decided_by"),
            instant(rs, "decided_at"));
    }
}
