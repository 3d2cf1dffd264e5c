package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.bind;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
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
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.unsubscribe.UnsubscribeTarget;
import org.listkeeper.unsubscribe.UnsubscribeTokens;

/** {@link UnsubscribeTokens} on JDBC. */
final class JdbcUnsubscribeTokens implements UnsubscribeTokens {
    private final JdbcSession session;

    JdbcUnsubscribeTokens(JdbcSession session) {
        this.session = session;
    }


    /** Address keys per statement: well below every driver's limit on bound parameters. */
    private static final int KEYS_PER_QUERY = 500;

    @Override
    public Map<String, String> unsubscribeTokens(long listId, Collection<MailAddress> members, Instant now) {
        List<String> keys = members.stream().map(Addresses::key).distinct().collect(Collectors.toList());
        if (keys.isEmpty()) {
            return Map.of();
        }
        // a concurrent fan-out to the same member may issue the same member's token first: the retry reads it
        return session.retryingOnConflict("issuing unsubscribe tokens", c -> {
            Map<String, String> tokens = new HashMap<>();
            readUnsubscribeTokens(c, listId, keys, tokens);
            List<String> missing = keys.stream().filter(key -> !tokens.containsKey(key)).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                // only for addresses still on the roster: a member who left meanwhile gets no token that a later
                // re-subscription would bring back to life
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_unsubscribe (token, list_id, address_key, created_at)"
                    + " SELECT ?, list_id, address_key, ? FROM lk_member WHERE list_id = ? AND address_key = ?")) {
                    for (String key : missing) {
                        bind(insert, org.listkeeper.membership.Tokens.generate(), now.toEpochMilli(), listId, key);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                readUnsubscribeTokens(c, listId, missing, tokens);
            }
            return tokens;
        });
    }

    private static void readUnsubscribeTokens(Connection c, long listId, List<String> keys, Map<String, String> tokens) throws SQLException {
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            Object[] parameters = new Object[chunk.size() + 1];
            parameters[0] = listId;
            for (int i = 0; i < chunk.size(); i++) {
                parameters[i + 1] = chunk.get(i);
            }
            String placeholders = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            all(c, "SELECT address_key, token FROM lk_unsubscribe WHERE list_id = ? AND address_key IN (" + placeholders + ")",
                rs -> tokens.put(rs.getString(1), rs.getString(2)), parameters);
        }
    }

    @Override
    public Optional<UnsubscribeTarget> unsubscribeTarget(String token) {
        return session.inTransaction("reading an unsubscribe token", c -> one(c, "SELECT u.list_id, l.address, m.address"
            + " FROM lk_unsubscribe u JOIN lk_list l ON l.id = u.list_id"
            + " JOIN lk_member m ON m.list_id = u.list_id AND m.address_key = u.address_key WHERE u.token = ?",
            rs -> new UnsubscribeTarget(rs.getLong(1), Addresses.parse("list", rs.getString(2)), Addresses.parse("member",
                rs.getString(3))), token));
    }

    @Override
    public boolean revokeUnsubscribeToken(long listId, MailAddress address) {
        return session.autocommit("revoking an unsubscribe token", c -> execute(c, "DELETE FROM lk_unsubscribe WHERE list_id = ?"
            + " AND address_key = ?", listId, Addresses.key(address)) > 0);
    }
}
