package org.listkeeper.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.mail.internet.AddressException;
import javax.sql.DataSource;

import org.apache.james.core.MailAddress;
import org.listkeeper.StoreException;
import org.listkeeper.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What every {@code Jdbc…} aggregate store shares: the data source, the transaction of {@link #atomically} running on
 * this thread (which every store call on the thread joins, so a unit of work spanning aggregates is one transaction),
 * and the statement helpers that bind parameters by their Java type.
 */
final class JdbcSession implements Transactions {
    private static final Logger LOGGER = LoggerFactory.getLogger(JdbcSession.class);

    private final DataSource dataSource;
    private final AutoCloseable closeable;
    /** The connection of the {@link #atomically} transaction running on this thread, if any. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    JdbcSession(DataSource dataSource, AutoCloseable closeable) {
        this.dataSource = dataSource;
        this.closeable = closeable;
    }

    /** Whether this thread runs inside {@link #atomically}. */
    boolean insideAtomically() {
        return current.get() != null;
    }

    void close() {
        try {
            closeable.close();
        } catch (Exception e) {
            LOGGER.warn("Closing the list store failed", e);
        }
    }

    // ---- statement helpers: parameters bound by their Java type (Long, Integer, String, Boolean, or a typed null)

    /** A null for a BIGINT parameter (PostgreSQL wants to know the type of a null). */
    static final Object NULL_NUMBER = new Object();

    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == NULL_NUMBER) {
                statement.setNull(i + 1, java.sql.Types.BIGINT);
            } else if (value == null) {
                statement.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (value instanceof Long) {
                statement.setLong(i + 1, (Long) value);
            } else if (value instanceof Integer) {
                statement.setInt(i + 1, (Integer) value);
            } else if (value instanceof Boolean) {
                statement.setBoolean(i + 1, (Boolean) value);
            } else if (value instanceof byte[]) {
                statement.setBytes(i + 1, (byte[]) value);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }

    static int execute(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    static <T> List<T> all(Connection c, String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            List<T> result = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.add(reader.read(rs));
                }
            }
            return result;
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        List<T> rows = all(c, sql, reader, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static Object number(Optional<Long> value) {
        return value.isPresent() ? value.get() : NULL_NUMBER;
    }

    static Object millis(Optional<Instant> value) {
        return value.isPresent() ? (Object) value.get().toEpochMilli() : NULL_NUMBER;
    }

    static String text(Optional<String> value) {
        return value.orElse(null);
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = longOrNull(rs, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }


    // ---- transactions

    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A unique constraint said no: the caller decides what that means. */
    static final class UniqueViolation extends RuntimeException {
        static final long serialVersionUID = 1L;

        UniqueViolation(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    <T> T inTransaction(String operation, SqlWork<T> work) {
        try {
            return transaction(work);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /**
     * A create-or-update: when a concurrent writer creates the same row between our update and our insert,
     * the unique key says so and the whole transaction runs again, this time as an update.
     */
    <T> T retryingOnConflict(String operation, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction(work);
            } catch (SQLException e) {
                // inside atomically() the whole transaction is retried instead (PostgreSQL has aborted it)
                if (!SqlErrors.isUniqueViolation(e) || attempt >= 3 || current.get() != null) {
                    throw failure(operation, e);
                }
            }
        }
    }

    <T> T transaction(SqlWork<T> work) throws SQLException {
        Connection outer = current.get();
        if (outer != null) {
            return work.run(outer);
        }
        try (Connection c = connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        }
    }

    <T> T autocommit(String operation, SqlWork<T> work) {
        Connection outer = current.get();
        try {
            if (outer != null) {
                return work.run(outer);
            }
            try (Connection c = connection()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                return work.run(c);
            }
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw new UniqueViolation(e);
            }
            throw failure(operation, e);
        }
    }

    @Override
    public <T> T atomically(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                current.set(c);
                try {
                    T result = work.get();
                    c.commit();
                    return result;
                } catch (RuntimeException e) {
                    rollbackQuietly(c, e);
                    if (attempt < 3 && isConflict(e)) {
                        continue;
                    }
                    throw e;
                } finally {
                    current.remove();
                    restoreAutoCommit(c, autoCommit);
                }
            } catch (SQLException e) {
                throw failure("running a store transaction", e);
            }
        }
    }

    /** A unique-key conflict somewhere in the failure: a concurrent writer got there first. */
    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof UniqueViolation || t instanceof SQLException && SqlErrors.isUniqueViolation((SQLException) t)) {
                return true;
            }
        }
        return false;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * After a connection-level failure every pooled connection is suspect (the database restarted, the
     * network dropped): retire them all so the next attempt opens a fresh one instead of failing again.
     */
    RuntimeException failure(String operation, SQLException e) {
        if (SqlErrors.isTransient(e) && dataSource instanceof HikariDataSource) {
            HikariDataSource pool = (HikariDataSource) dataSource;
            if (!pool.isClosed() && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        }
        return SqlErrors.translate(operation, e);
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            LOGGER.debug("Could not restore auto-commit on a pooled connection", e);
        }
    }

    static MailAddress address(String value) {
        try {
            return new MailAddress(Objects.requireNonNull(value));
        } catch (AddressException e) {
            throw new StoreException("The store holds an unreadable address: " + value, e);
        }
    }


    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }}
