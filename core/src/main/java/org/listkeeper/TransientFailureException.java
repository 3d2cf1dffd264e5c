package org.listkeeper;

/**
 * A failure that is expected to go away by itself (a database outage, a lock timeout, a DNS hiccup).
 * The pipeline engine retries the post later with backoff instead of parking it.
 */
public class TransientFailureException extends ListkeeperException {
    private static final long serialVersionUID = 1L;

    public TransientFailureException(String message) {
        super(message);
    }

    public TransientFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
