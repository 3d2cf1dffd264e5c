package org.listkeeper.delivery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP connections kept open between transactions, per server: a batch takes one, carries its transactions on it and
 * gives it back; the next batch to the same server reuses it while it is under its maximum of messages and not idle
 * too long.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConnectionPool.class);

    private final SmtpSettings settings;
    private final DeliveryMetrics metrics;
    private final Map<Endpoint, Deque<SmtpConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ConnectionPool(SmtpSettings settings, DeliveryMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** A connection that was in use before and may have gone stale, or one opened for this call. */
    static final class Lease {
        final SmtpConnection connection;
        final boolean reused;

        Lease(SmtpConnection connection, boolean reused) {
            this.connection = connection;
            this.reused = reused;
        }
    }

    /** An idle connection to one of {@code endpoints}, else a new one to the first that answers. */
    Lease borrow(String destination, List<Endpoint> endpoints) throws SmtpException {
        for (Endpoint endpoint : endpoints) {
            Deque<SmtpConnection> waiting = idle.get(endpoint);
            if (waiting == null) {
                continue;
            }
            SmtpConnection connection;
            while ((connection = poll(waiting)) != null) {
                if (connection.reusable()) {
                    metrics.connectionReused(destination);
                    return new Lease(connection, true);
                }
                connection.close();
            }
        }
        return new Lease(open(destination, endpoints), false);
    }

    /** A new connection to the first of {@code endpoints} that answers (MX priority order, then fallbacks). */
    SmtpConnection open(String destination, List<Endpoint> endpoints) throws SmtpException {
        SmtpException last = null;
        for (Endpoint endpoint : endpoints) {
            try {
                SmtpConnection connection = SmtpConnection.open(endpoint, settings);
                metrics.connectionOpened(destination);
                return connection;
            } catch (SmtpException e) {
                LOGGER.info("List delivery to {}: {} did not take a connection ({}); trying the next server", destination, endpoint,
                    e.getMessage());
                last = e;
            }
        }
        if (last == null) {
            throw new SmtpException(SmtpReply.local(451, "4.4.4 no server for " + destination), "No server to try for " + destination);
        }
        throw last;
    }

    /** Gives {@code connection} back for the next transaction, or closes it when it cannot carry one. */
    void release(SmtpConnection connection) {
        if (closed || !connection.reusable()) {
            connection.close();
            return;
        }
        Deque<SmtpConnection> waiting = idle.computeIfAbsent(connection.endpoint(), endpoint -> new ArrayDeque<>());
        synchronized (waiting) {
            waiting.addFirst(connection);
        }
        if (closed) {
            sweep();
        }
    }

    private static SmtpConnection poll(Deque<SmtpConnection> waiting) {
        synchronized (waiting) {
            return waiting.pollFirst();
        }
    }

    /** Closes the connections that have waited longer than the idle timeout (or all, once the pool is closed). */
    public void sweep() {
        for (Deque<SmtpConnection> waiting : idle.values()) {
            synchronized (waiting) {
                waiting.removeIf(connection -> {
                    if (closed || !connection.reusable()) {
                        connection.close();
                        return true;
                    }
                    return false;
                });
            }
        }
    }

    /** How many connections wait to be reused. */
    public int idleConnections() {
        return idle.values().stream().mapToInt(waiting -> {
            synchronized (waiting) {
                return waiting.size();
            }
        }).sum();
    }

    @Override
    public void close() {
        closed = true;
        sweep();
    }
}
