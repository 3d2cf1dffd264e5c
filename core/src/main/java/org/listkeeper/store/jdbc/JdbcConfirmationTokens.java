package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.instant;
import static org.listkeeper.store.jdbc.JdbcSession.longOrNull;
import static org.listkeeper.store.jdbc.JdbcSession.number;
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
import org.listkeeper.membership.ConfirmationTokens;
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

/** {@link ConfirmationTokens} on JDBC: the SHA-256 of each token, never the token. */
final class JdbcConfirmationTokens implements ConfirmationTokens {
    private final JdbcSession session;

    JdbcConfirmationTokens(JdbcSession session) {
        this.session = session;
    }


    @Override
    public void saveToken(String tokenHash, long listId, TokenAction action, String addressKey, Optional<Long> requestId,
                          Optional<Long> heldId, Instant now, Instant expiresAt) {
        session.autocommit("recording a token", c -> execute(c, "INSERT INTO lk_token (token_hash, list_id, action, address_key, request_id,"
            + " held_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tokenHash, listId, action.value(), addressKey,
            number(requestId), number(heldId), now.toEpochMilli(), expiresAt.toEpochMilli()));
    }

    @Override
    public Optional<TokenRecord> findToken(String tokenHash) {
        return session.inTransaction("reading a token", c -> one(c, "SELECT list_id, action, address_key, request_id, held_id, expires_at,"
            + " used_at, used_by FROM lk_token WHERE token_hash = ?", rs -> TokenRecord.of(rs.getLong("list_id"),
                TokenAction.parse(rs.getString("action")), rs.getString("address_key"), longOrNull(rs, "request_id"),
                longOrNull(rs, "held_id"), Instant.ofEpochMilli(rs.getLong("expires_at")), instant(rs, "used_at"),
                rs.getString("used_by")), tokenHash));
    }

    @Override
    public boolean useToken(String tokenHash, String usedBy, Instant now) {
        return session.autocommit("using a token", c -> execute(c, "UPDATE lk_token SET used_at = ?, used_by = ?"
            + " WHERE token_hash = ? AND (used_at IS NULL OR used_by = ?)", now.toEpochMilli(), usedBy, tokenHash, usedBy) > 0);
    }

    @Override
    public int purgeTokensBefore(Instant before) {
        return session.autocommit("purging expired tokens", c -> execute(c, "DELETE FROM lk_token WHERE expires_at < ?", before.toEpochMilli()));
    }
}
