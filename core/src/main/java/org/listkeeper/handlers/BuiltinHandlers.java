package org.listkeeper.handlers;

import java.util.List;

import org.listkeeper.pipeline.Handler;

/** The handlers Listkeeper ships. Names are configuration API: add, never rename. */
public final class BuiltinHandlers {
    private static final List<Handler> ALL = List.of(
        new MimeCheck(),
        new DuplicateCheck(),
        new ListHeaders(),
        new PostNumber(),
        new SubjectPrefix(),
        new Footer(),
        new FanOut(),
        new RequestCommands(),
        new SendReplies(),
        new ModerationHandler(),
        new BounceProcessing(),
        new DmarcMitigationHandler());

    private BuiltinHandlers() {
    }

    public static List<Handler> all() {
        return ALL;
    }
}
