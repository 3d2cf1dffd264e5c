package org.listkeeper;

/**
 * Root of every error Listkeeper raises on purpose. Subclasses carry the data an operator needs and
 * say what to do about it.
 */
public class ListkeeperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ListkeeperException(String message) {
        super(message);
    }

    public ListkeeperException(String message, Throwable cause) {
        super(message, cause);
    }
}
