package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.one;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.listkeeper.store.RetrySchedule;

/** {@link RetrySchedule} on JDBC: one row per waiting post; claims are conditional updates. */
final class JdbcRetrySchedule implements RetrySchedule {
    private final JdbcSession session;

    JdbcRetrySchedule(JdbcSession session) {
        this.session = session;
    }

    @Override
    public void schedule(String key, Instant due) {
        Objects.requireNonNull(key, "key");
        session.retryingOnConflict("scheduling the retry of " + key, c -> {
            if (execute(c, "UPDATE lk_retry_due SET due_at = ?, claimed_by = NULL, claimed_until = NULL WHERE mail_key = ?",
                due.toEpochMilli(), key) == 0) {
                execute(c, "INSERT INTO lk_retry_due (mail_key, due_at) VALUES (?, ?)", key, due.toEpochMilli());
            }
            return null;
        });
    }

    @Override
    public List<String> due(Instant now, int limit) {
        long millis = now.toEpochMilli();
        return session.inTransaction("reading due retries", c -> all(c, "SELECT mail_key FROM lk_retry_due WHERE due_at <= ?"
            + " AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY due_at, mail_key FETCH FIRST " + Math.max(1, limit)
            + " ROWS ONLY", rs -> rs.getString(1), millis, millis));
    }

    @Override
    public boolean claim(String key, String holder, Instant now, Duration lease) {
        long millis = now.toEpochMilli();
        return session.autocommit("claiming the retry of " + key, c -> execute(c, "UPDATE lk_retry_due SET claimed_by = ?,"
            + " claimed_until = ? WHERE mail_key = ? AND due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)",
            holder, now.plus(lease).toEpochMilli(), key, millis, millis)) > 0;
    }

    @Override
    public void forget(String key) {
        session.autocommit("forgetting the retry of " + key, c -> execute(c, "DELETE FROM lk_retry_due WHERE mail_key = ?", key));
    }

    @Override
    public Optional<Instant> dueAt(String key) {
        return session.inTransaction("reading the retry of " + key, c -> one(c, "SELECT due_at FROM lk_retry_due WHERE mail_key = ?",
            rs -> Instant.ofEpochMilli(rs.getLong(1)), key));
    }

    @Override
    public long count() {
        return session.inTransaction("counting due retries", c -> one(c, "SELECT COUNT(*) FROM lk_retry_due", rs -> rs.getLong(1)))
            .orElse(0L);
    }
}
