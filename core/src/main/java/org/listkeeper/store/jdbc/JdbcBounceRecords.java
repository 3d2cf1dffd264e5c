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
import org.listkeeper.bounces.BounceRecords;
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

/** {@link BounceRecords} on JDBC: the bounce columns of roster rows, and a row per VERP token. */
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
}
