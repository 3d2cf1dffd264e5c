package org.listkeeper;

import org.listkeeper.ListkeeperException;

/** The list store refused an operation for a reason that retrying will not fix. */
public final class StoreException extends ListkeeperException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
