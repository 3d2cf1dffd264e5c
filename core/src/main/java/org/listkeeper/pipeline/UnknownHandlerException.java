package org.listkeeper.pipeline;

import java.util.Collection;
import java.util.TreeSet;

import org.listkeeper.ListkeeperException;

/** A pipeline names a handler that no registry entry has. */
public final class UnknownHandlerException extends ListkeeperException {
    private static final long serialVersionUID = 1L;
    private final String handlerName;

    public UnknownHandlerException(String handlerName, Collection<String> known) {
        super("Unknown handler '" + handlerName + "' [Hint: known handlers are " + String.join(", ", new TreeSet<>(known)) + "]");
        this.handlerName = handlerName;
    }

    public String handlerName() {
        return handlerName;
    }
}
