package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.instant;
import static org.listkeeper.store.jdbc.JdbcSession.millis;
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
import org.listkeeper.bounces.BlockEvent;
import org.listkeeper.bounces.BounceClass;
import org.listkeeper.bounces.BounceDetail;
import org.listkeeper.bounces.BounceLogEntry;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.bounces.BounceSummary;
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
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/**
 * {@link BounceRecords} on JDBC: the bounce columns of roster rows, a row per VERP token, the bounce log and the block
 * events.
 */
final class JdbcBounceRecords implements BounceRecords {
    private final JdbcSession session;

    JdbcBounceRecords(JdbcSession session) {
        this.session = session;
    }


    @Override
    public Optional<BounceState> bounceState(long listId, MailAddress address) {
        return session.inTransaction("reading a bounce record", c -> one(c, "SELECT bounce_score, last_bounce_at, bounce_warnings,"
            + " last_warning_at FROM lk_member WHERE list_id = ? AND address_key = ?", rs -> BounceState.of(rs.getInt(1),
                instant(rs, "last_bounce_at"), rs.getInt(3), instant(rs, "last_warning_at")), listId, Addresses.key(address)));
    }

    @Override
    public boolean saveBounceState(long listId, MailAddress address, BounceState state) {
        return session.autocommit("saving a bounce record", c -> execute(c, "UPDATE lk_member SET bounce_score = ?, last_bounce_at = ?,"
            + " bounce_warnings = ?, last_warning_at = ? WHERE list_id = ? AND address_key = ?", state.score(),
            millis(state.lastBounceAt()), state.warnings(), millis(state.lastWarningAt()), listId, Addresses.key(address)) > 0);
    }

    @Override
    public List<Member> disabledByBounce(long listId) {
        return session.inTransaction("listing members disabled by bounces", c -> all(c, "SELECT " + JdbcRoster.MEMBER_COLUMNS + " FROM lk_member"
            + " WHERE list_id = ? AND delivery = 'disabled' AND disabled_by = 'bounce' ORDER BY address_key", JdbcRoster::readMember,
            listId));
    }

    @Override
    public int forgetBouncesBefore(long listId, Instant before) {
        return session.autocommit("forgetting old bounces", c -> execute(c, "UPDATE lk_member SET bounce_score = 0 WHERE list_id = ?"
            + " AND bounce_score > 0 AND delivery = 'enabled' AND last_bounce_at < ?", listId, before.toEpochMilli()));
    }

    @Override
    public String verpToken(long listId, MailAddress address, Instant now) {
        String key = Addresses.key(address);
        Optional<String> existing = session.inTransaction("reading a VERP token", c -> one(c, "SELECT token FROM lk_verp WHERE list_id = ?"
            + " AND address_key = ?", rs -> rs.getString(1), listId, key));
        if (existing.isPresent()) {
            return existing.get();
        }
        String token = org.listkeeper.membership.Tokens.generate().substring(0, 16).toLowerCase(Locale.ROOT).replace('_', 'x')
            .replace('-', 'y');
        try {
            session.autocommit("recording a VERP token", c -> execute(c, "INSERT INTO lk_verp (token, list_id, address_key, created_at)"
                + " VALUES (?, ?, ?, ?)", token, listId, key, now.toEpochMilli()));
            return token;
        } catch (UniqueViolation raced) {
            return session.inTransaction("reading a VERP token", c -> one(c, "SELECT token FROM lk_verp WHERE list_id = ? AND address_key = ?",
                rs -> rs.getString(1), listId, key)).orElseThrow(() -> new StoreException("VERP token of " + key + " vanished", null));
        }
    }

    @Override
    public Optional<String> verpAddress(long listId, String token) {
        return session.inTransaction("reading a VERP token", c -> one(c, "SELECT address_key FROM lk_verp WHERE list_id = ? AND token = ?",
            rs -> rs.getString(1), listId, token.toLowerCase(Locale.ROOT)));
    }

    private static final int MAX_REPLY = 500;

    private static String reply(Optional<String> reply) {
        return reply.map(r -> r.length() > MAX_REPLY ? r.substring(0, MAX_REPLY) : r).orElse(null);
    }

    @Override
    public Optional<BounceDetail> bounceDetail(long listId, MailAddress address) {
        return session.inTransaction("reading a bounce record", c -> one(c, "SELECT last_bounce_class, last_bounce_reply,"
            + " last_bounce_seen_at, full_days, last_full_at FROM lk_member WHERE list_id = ? AND address_key = ?",
            rs -> BounceDetail.of(rs.getString(1) == null ? null : BounceClass.ofLabel(rs.getString(1)), rs.getString(2),
                instant(rs, "last_bounce_seen_at"), rs.getInt(4), instant(rs, "last_full_at")), listId, Addresses.key(address)));
    }

    @Override
    public boolean saveBounceDetail(long listId, MailAddress address, BounceDetail detail) {
        return session.autocommit("saving a bounce record", c -> execute(c, "UPDATE lk_member SET last_bounce_class = ?,"
            + " last_bounce_reply = ?, last_bounce_seen_at = ?, full_days = ?, last_full_at = ? WHERE list_id = ? AND address_key = ?",
            detail.lastClass().map(BounceClass::label).orElse(null), reply(detail.lastReply()), millis(detail.lastAt()),
            detail.fullDays(), millis(detail.lastFullAt()), listId, Addresses.key(address)) > 0);
    }

    @Override
    public boolean logBounce(long listId, String mailKey, BounceLogEntry entry) {
        String key = entry.address().map(Addresses::key).orElse("");
        String mail = mailKey.length() > 255 ? mailKey.substring(mailKey.length() - 255) : mailKey;
        return session.autocommit("logging a bounce", c -> execute(c, "INSERT INTO lk_bounce_log (list_id, mail_key, address_key, domain,"
            + " bounce_class, scored, reply, received_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM lk_list WHERE id = ? AND NOT EXISTS"
            + " (SELECT 1 FROM lk_bounce_log WHERE list_id = ? AND mail_key = ? AND address_key = ?)", listId, mail, key,
            entry.domain().map(d -> d.toLowerCase(Locale.ROOT)).orElse(""), entry.bounceClass().map(BounceClass::label).orElse(null),
            entry.scored(), reply(entry.reply()), entry.at().toEpochMilli(), listId, listId, mail, key) > 0);
    }

    @Override
    public int policyRefusals(long listId, String domain, Instant since) {
        return session.inTransaction("counting policy refusals", c -> one(c, "SELECT COUNT(DISTINCT address_key) FROM lk_bounce_log"
            + " WHERE list_id = ? AND domain = ? AND bounce_class = 'policy' AND received_at >= ?", rs -> rs.getInt(1), listId,
            domain.toLowerCase(Locale.ROOT), since.toEpochMilli()).orElse(0));
    }

    @Override
    public List<BounceSummary> bounceSummary(long listId, Instant since) {
        return session.inTransaction("summarising bounces", c -> all(c, "SELECT COALESCE(bounce_class, 'unrecognised') AS k, domain,"
            + " COUNT(*), SUM(CASE WHEN scored THEN 1 ELSE 0 END) FROM lk_bounce_log WHERE list_id = ? AND received_at >= ?"
            + " GROUP BY COALESCE(bounce_class, 'unrecognised'), domain ORDER BY 3 DESC, 1, 2",
            rs -> new BounceSummary(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)), listId, since.toEpochMilli()));
    }

    @Override
    public int forgetBounceLogBefore(long listId, Instant before) {
        return session.autocommit("forgetting old bounce log entries", c -> execute(c, "DELETE FROM lk_bounce_log WHERE list_id = ?"
            + " AND received_at < ?", listId, before.toEpochMilli()));
    }

    @Override
    public Optional<BlockEvent> openBlock(long listId, String domain, Instant since, Instant now, String reply) {
        String key = domain.toLowerCase(Locale.ROOT);
        try {
            session.autocommit("opening a block event", c -> execute(c, "INSERT INTO lk_bounce_block (list_id, domain, open_domain, since,"
                + " opened_at, reply) VALUES (?, ?, ?, ?, ?, ?)", listId, key, key, since.toEpochMilli(), now.toEpochMilli(),
                reply(Optional.ofNullable(reply))));
        } catch (UniqueViolation alreadyOpen) {
            return Optional.empty();
        }
        return session.inTransaction("reading a block event", c -> one(c, BLOCK_SELECT + " WHERE b.list_id = ? AND b.open_domain = ?",
            JdbcBounceRecords::readBlock, listId, key));
    }

    /** An event with the distinct members refused for policy from its start until it closed. */
    private static final String BLOCK_SELECT = "SELECT b.id, b.list_id, b.domain, b.since, b.opened_at, b.reply, b.closed_at,"
        + " b.closed_by, (SELECT COUNT(DISTINCT l.address_key) FROM lk_bounce_log l WHERE l.list_id = b.list_id AND l.domain = b.domain"
        + " AND l.bounce_class = 'policy' AND l.received_at >= b.since AND (b.closed_at IS NULL OR l.received_at <= b.closed_at))"
        + " AS members FROM lk_bounce_block b";

    private static BlockEvent readBlock(ResultSet rs) throws SQLException {
        return new BlockEvent(rs.getLong("id"), rs.getLong("list_id"), rs.getString("domain"), instant(rs, "since"),
            instant(rs, "opened_at"), rs.getString("reply"), rs.getInt("members"), instant(rs, "closed_at"), rs.getString("closed_by"));
    }

    @Override
    public List<BlockEvent> blocks(long listId, boolean openOnly, int limit) {
        return session.inTransaction("listing block events", c -> all(c, BLOCK_SELECT + " WHERE b.list_id = ?"
            + (openOnly ? " AND b.closed_at IS NULL" : "") + " ORDER BY CASE WHEN b.closed_at IS NULL THEN 0 ELSE 1 END, b.opened_at DESC"
            + " LIMIT " + Math.max(1, limit), JdbcBounceRecords::readBlock, listId));
    }

    @Override
    public List<BlockEvent> openBlocks() {
        return session.inTransaction("listing open block events", c -> all(c, "SELECT id, list_id, domain, since, opened_at, reply,"
            + " closed_at, closed_by, 0 AS members FROM lk_bounce_block WHERE closed_at IS NULL", JdbcBounceRecords::readBlock));
    }

    @Override
    public int closeBlocks(long listId, Collection<String> domains, Instant at, String by) {
        if (domains.isEmpty()) {
            return 0;
        }
        StringJoiner marks = new StringJoiner(", ", "(", ")");
        List<Object> parameters = new ArrayList<>(List.of(at.toEpochMilli(), by, listId, at.toEpochMilli()));
        for (String domain : domains) {
            marks.add("?");
            parameters.add(domain.toLowerCase(Locale.ROOT));
        }
        return session.autocommit("closing block events", c -> execute(c, "UPDATE lk_bounce_block SET closed_at = ?, closed_by = ?,"
            + " open_domain = NULL WHERE list_id = ? AND closed_at IS NULL AND opened_at <= ? AND open_domain IN " + marks,
            parameters.toArray()));
    }

    @Override
    public boolean closeBlock(long listId, long id, Instant at, String by) {
        return session.autocommit("closing a block event", c -> execute(c, "UPDATE lk_bounce_block SET closed_at = ?, closed_by = ?,"
            + " open_domain = NULL WHERE list_id = ? AND id = ? AND closed_at IS NULL", at.toEpochMilli(), by, listId, id) > 0);
    }
}
