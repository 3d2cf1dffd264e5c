package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.one;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.listkeeper.store.Leases;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;

/**
 * {@link Leases} on JDBC: one row per lease. Taking a lease is an update that succeeds only if the row is the holder's
 * own or has expired; with no row yet, an insert, which the primary key lets only one node make.
 */
final class JdbcLeases implements Leases {
    private static final int MAX_LENGTH = 200;

    private final JdbcSession session;

    JdbcLeases(JdbcSession session) {
        this.session = session;
    }

    @Override
    public boolean acquire(String name, String holder, Instant now, Duration ttl) {
        check(name, holder);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("A lease lasts some time, not " + ttl);
        }
        long expires = now.plus(ttl).toEpochMilli();
        int updated = session.autocommit("taking lease " + name, c -> execute(c, "UPDATE lk_lease SET holder = ?, expires_at = ?,"
            + " acquired_at = CASE WHEN holder = ? THEN acquired_at ELSE ? END WHERE name = ? AND (holder = ? OR expires_at <= ?)",
            holder, expires, holder, now.toEpochMilli(), name, holder, now.toEpochMilli()));
        if (updated > 0) {
            return true;
        }
        try {
            return session.autocommit("taking lease " + name, c -> execute(c, "INSERT INTO lk_lease (name, holder, expires_at, acquired_at)"
                + " VALUES (?, ?, ?, ?)", name, holder, expires, now.toEpochMilli())) > 0;
        } catch (UniqueViolation held) {
            // another holder's lease is running (or another node inserted it a moment ago)
            return false;
        }
    }

    @Override
    public void release(String name, String holder) {
        check(name, holder);
        session.autocommit("giving up lease " + name, c -> execute(c, "DELETE FROM lk_lease WHERE name = ? AND holder = ?", name, holder));
    }

    @Override
    public Optional<String> holder(String name, Instant now) {
        Objects.requireNonNull(name, "name");
        return session.inTransaction("reading lease " + name, c -> one(c, "SELECT holder FROM lk_lease WHERE name = ? AND expires_at > ?",
            rs -> rs.getString(1), name, now.toEpochMilli()));
    }

    private static void check(String name, String holder) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holder, "holder");
        if (name.length() > MAX_LENGTH || holder.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Lease names and holders are at most " + MAX_LENGTH + " characters");
        }
    }
}
