package org.listkeeper;

import org.listkeeper.TransientFailureException;

/** The list store could not be reached or timed out: retry later. */
public final class StoreUnavailableException extends TransientFailureException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
