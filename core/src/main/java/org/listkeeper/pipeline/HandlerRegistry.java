package org.listkeeper.pipeline;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.listkeeper.ListkeeperException;

/** Every handler a pipeline may name, keyed by name; two handlers with one name are refused. */
public final class HandlerRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Map<String, Handler> handlers;

    private HandlerRegistry(Map<String, Handler> handlers) {
        this.handlers = Collections.unmodifiableMap(handlers);
    }

    /**
     * Every handler of {@code handlers}: in a server the Guice set of handlers, which holds the built-in ones and a
     * site's own, so that this registry knows no implementation.
     */
    public static HandlerRegistry of(Collection<? extends Handler> handlers) {
        Map<String, Handler> byName = new LinkedHashMap<>();
        for (Handler handler : handlers) {
            add(byName, handler);
        }
        return new HandlerRegistry(byName);
    }

    private static void add(Map<String, Handler> byName, Handler handler) {
        String name = handler.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ListkeeperException("Handler " + handler.getClass().getName() + " has name '" + name
                + "', which is not kebab-case (like fan-out)");
        }
        Handler previous = byName.putIfAbsent(name, handler);
        if (previous != null) {
            throw new ListkeeperException("Duplicate handler name '" + name + "': " + previous.getClass().getName()
                + " and " + handler.getClass().getName());
        }
    }

    public Optional<Handler> find(String name) {
        return Optional.ofNullable(handlers.get(name));
    }

    public Handler get(String name) {
        Handler handler = handlers.get(name);
        if (handler == null) {
            throw new UnknownHandlerException(name, handlers.keySet());
        }
        return handler;
    }

    /** Every handler name, in registration order. */
    public Collection<String> names() {
        return handlers.keySet();
    }
}
