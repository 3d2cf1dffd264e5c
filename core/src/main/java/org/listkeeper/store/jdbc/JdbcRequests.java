package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.address;
import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.bind;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.instant;
import static org.listkeeper.store.jdbc.JdbcSession.one;
import static org.listkeeper.store.jdbc.JdbcSession.text;

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
import org.listkeeper.membership.Requests;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link Requests} on JDBC. */
final class JdbcRequests implements Requests {
    private final JdbcSession session;

    JdbcRequests(JdbcSession session) {
        this.session = session;
    }


    private static final String REQUEST_COLUMNS = "id, list_id, action, address, display_name, digest, state, requested_by,"
        + " created_at, expires_at, decided_at, decided_by";

    @Override
    public PendingRequest createRequest(long listId, RequestAction action, Member subject, RequestState state, String requestedBy,
                                        Instant now, Instant expiresAt) {
        return session.inTransaction("recording a " + action.value() + " request", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_request (list_id, action, address_key, address,"
                + " display_name, digest, state, requested_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
                bind(insert, listId, action.value(), Addresses.key(subject.address()), subject.address().asString(),
                    text(subject.displayName()), subject.digest().value(), state.value(), requestedBy, now.toEpochMilli(),
                    expiresAt.toEpochMilli());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new StoreException("The store assigned no id to a new request", null);
                    }
                    return PendingRequest.of(keys.getLong(1), listId, action, subject.address(), subject.displayName().orElse(null),
                        subject.digest(), state, requestedBy, now, expiresAt, null, null);
                }
            }
        });
    }

    @Override
    public Optional<PendingRequest> findRequest(long listId, long requestId) {
        return session.inTransaction("reading request #" + requestId, c -> one(c, "SELECT " + REQUEST_COLUMNS
            + " FROM lk_request WHERE list_id = ? AND id = ?", JdbcRequests::readRequest, listId, requestId));
    }

    @Override
    public Optional<PendingRequest> openRequest(long listId, RequestAction action, MailAddress address, Instant now) {
        return session.inTransaction("reading open requests", c -> one(c, "SELECT " + REQUEST_COLUMNS + " FROM lk_request WHERE list_id = ?"
            + " AND state IN ('confirming', 'approving') AND address_key = ? AND action = ? AND expires_at > ?"
            + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", JdbcRequests::readRequest, listId, Addresses.key(address), action.value(),
            now.toEpochMilli()));
    }

    @Override
    public List<PendingRequest> openRequests(long listId, Instant now) {
        return session.inTransaction("listing open requests", c -> all(c, "SELECT " + REQUEST_COLUMNS + " FROM lk_request WHERE list_id = ?"
            + " AND state IN ('confirming', 'approving') AND expires_at > ? ORDER BY id", JdbcRequests::readRequest, listId,
            now.toEpochMilli()));
    }

    @Override
    public boolean moveRequest(long requestId, RequestState from, RequestState to, String decidedBy, Instant now) {
        return session.autocommit("deciding request #" + requestId, c -> execute(c, "UPDATE lk_request SET state = ?, decided_at = ?,"
            + " decided_by = ? WHERE id = ? AND state = ?", to.value(), now.toEpochMilli(), decidedBy, requestId, from.value()) > 0);
    }

    @Override
    public int expireRequests(Instant now) {
        return session.autocommit("expiring requests", c -> execute(c, "UPDATE lk_request SET state = 'expired', decided_at = ?"
            + " WHERE state IN ('confirming', 'approving') AND expires_at <= ?", now.toEpochMilli(), now.toEpochMilli()));
    }

    private static PendingRequest readRequest(ResultSet rs) throws SQLException {
        String digest = rs.getString("digest");
        return PendingRequest.of(rs.getLong("id"), rs.getLong("list_id"), RequestAction.parse(rs.getString("action")),
            address(rs.getString("address")), rs.getString("display_name"), digest == null ? null : DigestMode.parse(digest),
            RequestState.parse(rs.getString("state")), rs.getString("requested_by"), Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("expires_at")), instant(rs, "decided_at"), rs.getString("decided_by"));
    }
}
