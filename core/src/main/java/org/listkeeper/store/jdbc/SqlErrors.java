package org.listkeeper.store.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.listkeeper.StoreException;
import org.listkeeper.StoreUnavailableException;
/** Sorts SQL failures into "retry later" and "will not get better", for H2 and PostgreSQL alike. */
final class SqlErrors {
    private static final String UNIQUE_VIOLATION = "23505";
    /** Serialization failure, deadlock, PostgreSQL shutting down or out of connections, H2 lock timeout. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300", "HYT00");
    /** H2: connection broken, database closed, file locked by another process, database is in exclusive mode. */
    private static final Set<Integer> H2_TRANSIENT_CODES = Set.of(90067, 90098, 90020, 90135, 90121);

    private SqlErrors() {
    }

    /** A unique key refused a row; a batch of statements reports it on one of its chained exceptions. */
    static boolean isUniqueViolation(SQLException e) {
        int depth = 0;
        for (SQLException next = e; next != null && depth < 100; next = next.getNextException(), depth++) {
            if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static RuntimeException translate(String operation, SQLException e) {
        if (isTransient(e)) {
            return new StoreUnavailableException("List store unavailable while " + operation + ": " + e.getMessage(), e);
        }
        return new StoreException("List store failed while " + operation + ": " + e.getMessage(), e);
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof SQLNonTransientConnectionException || t instanceof java.net.ConnectException
                || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException) {
                SQLException sql = (SQLException) t;
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                    return true;
                }
                if (H2_TRANSIENT_CODES.contains(sql.getErrorCode()) && state != null && state.startsWith("90")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
