package org.listkeeper.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.listkeeper.TransientFailureException;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * Handlers for the cluster tests, loaded into the packaged server's JVMs (never into the test's own) from a directory
 * of their own, named in extensions.properties as a site names its own:
 * <ul>
 *   <li>{@code stall}: a post whose subject has {@code [stall]} stops in it for ten minutes on the first node that runs
 *       it (the one that made its marker file under {@code listkeeper.test.calls}) and passes on any other: a node
 *       that took a post from the spool and has not begun its fan-out.</li>
 *   <li>{@code cluster-flaky}: a post whose subject has {@code [flaky]} fails transiently the first two times any node
 *       runs it; each call is a line (time and node) in a file per Message-ID under the directory named by the system
 *       property {@code listkeeper.test.calls}, which every node of the test shares.</li>
 * </ul>
 */
public final class ClusterHandlers extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClusterHandlers.class);

    @Override
    protected void configure() {
        Multibinder<Handler> handlers = Multibinder.newSetBinder(binder(), Handler.class);
        handlers.addBinding().toInstance(new Stall());
        handlers.addBinding().toInstance(new Flaky());
    }

    private static String node() {
        return System.getProperty("listkeeper.node", "?");
    }

    private static String subject(PostContext post) throws MessagingException {
        String subject = post.mail().getMessage().getSubject();
        return subject == null ? "" : subject;
    }

    static final class Stall implements Handler {
        @Override
        public String name() {
            return "stall";
        }

        @Override
        public String description() {
            return "test: stops a [stall] post on the first node that runs it";
        }

        @Override
        public HandlerResult handle(PostContext post) throws MessagingException {
            if (subject(post).contains("[stall]") && firstToRun(post)) {
                LOGGER.info("Stalling {} on node {}", post.mail().getMessage().getMessageID(), node());
                try {
                    TimeUnit.MINUTES.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransientFailureException("stall interrupted");
                }
            }
            return HandlerResult.proceed();
        }
    }

    /** True on the first node to run the post: it made the post's marker file. */
    private static boolean firstToRun(PostContext post) throws MessagingException {
        Path marker = Paths.get(System.getProperty("listkeeper.test.calls"))
            .resolve("stall-" + post.mail().getMessage().getMessageID().replaceAll("[^A-Za-z0-9@.-]", "_"));
        try {
            Files.writeString(marker, node(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Flaky implements Handler {
        @Override
        public String name() {
            return "cluster-flaky";
        }

        @Override
        public String description() {
            return "test: a [flaky] post fails transiently twice, across nodes";
        }

        @Override
        public HandlerResult handle(PostContext post) throws MessagingException {
            if (!subject(post).contains("[flaky]")) {
                return HandlerResult.proceed();
            }
            Path calls = Paths.get(System.getProperty("listkeeper.test.calls"))
                .resolve(post.mail().getMessage().getMessageID().replaceAll("[^A-Za-z0-9@.-]", "_"));
            long previous;
            try {
                previous = Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
                Files.writeString(calls, Instant.now().toEpochMilli() + " " + node() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (previous < 2) {
                throw new TransientFailureException("injected transient failure #" + (previous + 1) + " on node " + node());
            }
            return HandlerResult.proceed();
        }
    }
}
