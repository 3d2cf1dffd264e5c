package org.listkeeper.it;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.mail.MessagingException;

import org.listkeeper.TransientFailureException;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * Handlers that misbehave on purpose, added to James the way a site adds its own: a Guice module named in
 * extensions.properties. They act only on posts whose subject carries their tag, and count per Message-ID.
 */
public final class TestHandlers extends AbstractModule {
    /** Counts its calls: a side effect that must happen once per post. */
    static final Recording SIDE_EFFECTS = new Recording("side-effects", null) {
        @Override
        void act(PostContext post) {
        }
    };

    /** Fails transiently the first two times it sees a "[flaky]" post. */
    static final Recording FLAKY = new Recording("flaky", "[flaky]") {
        @Override
        void act(PostContext post) {
            if (calls(messageId(post)).size() <= 2) {
                throw new TransientFailureException("injected transient failure #" + calls(messageId(post)).size());
            }
        }
    };

    /** While {@link #BROKEN}, fails permanently on "[break]" posts, like a handler with a bug. */
    static final AtomicBoolean BROKEN = new AtomicBoolean(true);
    static final Recording BREAKABLE = new Recording("breakable", "[break]") {
        @Override
        void act(PostContext post) {
            if (BROKEN.get()) {
                throw new IllegalStateException("injected bug in breakable");
            }
        }
    };

    @Override
    protected void configure() {
        Multibinder<Handler> handlers = Multibinder.newSetBinder(binder(), Handler.class);
        handlers.addBinding().toInstance(SIDE_EFFECTS);
        handlers.addBinding().toInstance(FLAKY);
        handlers.addBinding().toInstance(BREAKABLE);
    }

    /** A handler that records when it was called for which post. */
    abstract static class Recording implements Handler {
        private final String name;
        private final String tag;
        private final Map<String, List<Instant>> calls = new ConcurrentHashMap<>();

        Recording(String name, String tag) {
            this.name = name;
            this.tag = tag;
        }

        abstract void act(PostContext post);

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test handler";
        }

        @Override
        public HandlerResult handle(PostContext post) throws MessagingException {
            String subject = post.mail().getMessage().getSubject();
            if (tag != null && (subject == null || !subject.contains(tag))) {
                return HandlerResult.proceed();
            }
            calls.computeIfAbsent(messageId(post), id -> new CopyOnWriteArrayList<>()).add(Instant.now());
            act(post);
            return HandlerResult.proceed();
        }

        List<Instant> calls(String messageId) {
            return calls.getOrDefault(messageId, List.of());
        }

        static String messageId(PostContext post) {
            try {
                return post.mail().getMessage().getMessageID();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
