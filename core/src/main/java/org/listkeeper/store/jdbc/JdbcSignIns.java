package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.one;

import java.time.Instant;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.Addresses;
import org.listkeeper.signin.LinkUse;
import org.listkeeper.signin.SignIns;
import org.listkeeper.signin.WebSession;

/** {@link SignIns} on JDBC. */
final class JdbcSignIns implements SignIns {
    private final JdbcSession session;

    JdbcSignIns(JdbcSession session) {
        this.session = session;
    }

    @Override
    public void saveSignInLink(String tokenHash, MailAddress address, Instant createdAt, Instant expiresAt) {
        session.autocommit("keeping a sign-in link", c -> execute(c, "INSERT INTO lk_signin_link (token_hash, address, created_at,"
            + " expires_at) VALUES (?, ?, ?, ?)", tokenHash, address.asString(), createdAt.toEpochMilli(), expiresAt.toEpochMilli()));
    }

    @Override
    public LinkUse useSignInLink(String tokenHash, Instant now) {
        return session.inTransaction("using a sign-in link", c -> {
            Optional<Object[]> link = one(c, "SELECT address, expires_at, used_at FROM lk_signin_link WHERE token_hash = ?",
                rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getObject(3)}, tokenHash);
            if (link.isEmpty()) {
                return LinkUse.refused(LinkUse.State.UNKNOWN);
            }
            if (link.get()[2] != null) {
                return LinkUse.refused(LinkUse.State.USED);
            }
            if ((Long) link.get()[1] <= now.toEpochMilli()) {
                return LinkUse.refused(LinkUse.State.EXPIRED);
            }
            // the compare-and-set: of two uses at once, one updates the row and the other finds it used
            int used = execute(c, "UPDATE lk_signin_link SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                now.toEpochMilli(), tokenHash);
            return used == 1 ? LinkUse.signedIn(Addresses.parse("address", (String) link.get()[0])) : LinkUse.refused(LinkUse.State.USED);
        });
    }

    @Override
    public void saveSession(String idHash, MailAddress address, Instant now) {
        session.autocommit("opening a web session", c -> execute(c, "INSERT INTO lk_web_session (id_hash, address, created_at,"
            + " last_seen_at) VALUES (?, ?, ?, ?)", idHash, address.asString(), now.toEpochMilli(), now.toEpochMilli()));
    }

    @Override
    public Optional<WebSession> findSession(String idHash) {
        return session.inTransaction("reading a web session", c -> one(c, "SELECT address, created_at, last_seen_at FROM lk_web_session"
            + " WHERE id_hash = ?", rs -> WebSession.of(Addresses.parse("address", rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)),
            Instant.ofEpochMilli(rs.getLong(3))), idHash));
    }

    @Override
    public void touchSession(String idHash, Instant now) {
        session.autocommit("touching a web session", c -> execute(c, "UPDATE lk_web_session SET last_seen_at = ? WHERE id_hash = ?"
            + " AND last_seen_at < ?", now.toEpochMilli(), idHash, now.toEpochMilli()));
    }

    @Override
    public void deleteSession(String idHash) {
        session.autocommit("closing a web session", c -> execute(c, "DELETE FROM lk_web_session WHERE id_hash = ?", idHash));
    }

    @Override
    public void savePassword(MailAddress address, String hash, Instant now) {
        session.retryingOnConflict("keeping a web password", c -> {
            if (execute(c, "UPDATE lk_web_password SET hash = ?, updated_at = ? WHERE address_key = ?", hash, now.toEpochMilli(),
                Addresses.key(address)) == 0) {
                execute(c, "INSERT INTO lk_web_password (address_key, hash, updated_at) VALUES (?, ?, ?)", Addresses.key(address), hash,
                    now.toEpochMilli());
            }
            return null;
        });
    }

    @Override
    public Optional<String> passwordHash(MailAddress address) {
        return session.inTransaction("reading a web password", c -> one(c, "SELECT hash FROM lk_web_password WHERE address_key = ?",
            rs -> rs.getString(1), Addresses.key(address)));
    }

    @Override
    public boolean deletePassword(MailAddress address) {
        return session.autocommit("forgetting a web password", c -> execute(c, "DELETE FROM lk_web_password WHERE address_key = ?",
            Addresses.key(address)) > 0);
    }

    @Override
    public int purgeSignIns(Instant linksBefore, Instant idleBefore, Instant openedBefore) {
        return session.inTransaction("purging sign-in links and sessions", c ->
            execute(c, "DELETE FROM lk_signin_link WHERE expires_at < ? OR used_at < ?", linksBefore.toEpochMilli(), linksBefore.toEpochMilli())
                + execute(c, "DELETE FROM lk_web_session WHERE last_seen_at < ? OR created_at < ?", idleBefore.toEpochMilli(),
                openedBefore.toEpochMilli()));
    }
}
