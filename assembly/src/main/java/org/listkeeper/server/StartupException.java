package org.listkeeper.server;

/** A reason the server cannot start, said in one line; {@link #exitCode()} 2 for usage errors, 1 otherwise. */
final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    StartupException(String message) {
        this(message, 1);
    }

    StartupException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
