package org.listkeeper.pipeline;

import javax.mail.MessagingException;

/** Wraps each handler call, for the host's metrics (James's timers in the mailet). */
@FunctionalInterface
public interface HandlerTimer {
    /** Calls the handler and measures nothing. */
    HandlerTimer NONE = (handler, invocation) -> invocation.invoke();

    HandlerResult time(String handler, Invocation invocation) throws MessagingException;

    /** One handler call. */
    @FunctionalInterface
    interface Invocation {
        HandlerResult invoke() throws MessagingException;
    }
}
