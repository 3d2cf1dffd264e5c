package org.listkeeper.pipeline;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.TransientFailureException;
import org.listkeeper.internal.Digests;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Lists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a post through its list's pipeline of handlers, resuming where an earlier run stopped.
 *
 * <p>At first entry the post gets a pipeline snapshot and a post key; after each handler succeeds the
 * index of the next one is recorded in the mail's attributes. The engine never re-enqueues or parks by
 * itself: it answers a {@link Disposition} and the James adapter acts on it, so the same engine serves
 * any queue.</p>
 */
public final class PipelineEngine {
    private static final Logger LOGGER = LoggerFactory.getLogger(PipelineEngine.class);
    private static final int MAX_ERROR_LENGTH = 2_000;
    private static final int MAX_STACK_TRACE_LENGTH = 32_000;
    private static final int MAX_POST_KEY_LENGTH = 200;
    /** Stands for the handler name when the list itself could not be looked up. */
    public static final String LIST_LOOKUP = "list-lookup";

    private final HandlerRegistry registry;
    private final Lists lists;
    private final PipelineSettings settings;
    private final Clock clock;
    private final HandlerTimer timer;
    private final TransportHandOff handOff;

    private PipelineEngine(HandlerRegistry registry, Lists lists, PipelineSettings settings, Clock clock, HandlerTimer timer,
                           TransportHandOff handOff) {
        this.registry = registry;
        this.lists = lists;
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
        this.handOff = handOff;
    }

    /** Fails with {@link UnknownHandlerException} when the configured pipeline names an unknown handler. */
    public static PipelineEngine create(HandlerRegistry registry, Lists lists, PipelineSettings settings, Clock clock) {
        return create(registry, lists, settings, clock, HandlerTimer.NONE, TransportHandOff.MAILET_CONTEXT);
    }

    /** As above, timing every handler call, with the host's way of handing fan-out batches to the transport. */
    public static PipelineEngine create(HandlerRegistry registry, Lists lists, PipelineSettings settings, Clock clock,
                                        HandlerTimer timer, TransportHandOff handOff) {
        for (String name : settings.pipeline()) {
            registry.get(name);
        }
        return new PipelineEngine(Objects.requireNonNull(registry), Objects.requireNonNull(lists),
            Objects.requireNonNull(settings), Objects.requireNonNull(clock), Objects.requireNonNull(timer),
            Objects.requireNonNull(handOff));
    }

    public PipelineSettings settings() {
        return settings;
    }

    /** Runs {@code mail} for the list at {@code listAddress} from where it stopped; records its progress on the mail. */
    public Disposition run(Mail mail, MailAddress listAddress, MailetContext mailetContext) {
        return run(mail, ListRecipient.post(listAddress), mailetContext);
    }

    /**
     * Runs {@code mail}, sent to one of a list's addresses (the posting address or a sub-address), from where it
     * stopped; records its progress on the mail.
     */
    public Disposition run(Mail mail, ListRecipient recipient, MailetContext mailetContext) {
        MailAddress listAddress = recipient.list();
        MailingList list;
        try {
            Optional<MailingList> found = lists.findList(listAddress);
            if (found.isEmpty()) {
                return park(mail, LIST_LOOKUP, "list " + listAddress.asString() + " no longer exists", null);
            }
            list = found.get();
        } catch (TransientFailureException e) {
            return retryOrPark(mail, LIST_LOOKUP, e);
        }
        return run(mail, list, recipient, mailetContext);
    }

    /** Runs {@code mail} for {@code list} from where it stopped; records its progress on the mail. */
    public Disposition run(Mail mail, MailingList list, MailetContext mailetContext) {
        return run(mail, list, ListRecipient.post(list.address()), mailetContext);
    }

    private Disposition run(Mail mail, MailingList list, ListRecipient recipient, MailetContext mailetContext) {
        List<String> pipeline = PostProgress.pipeline(mail).orElse(null);
        if (pipeline == null) {
            pipeline = settings.pipeline();
            PostProgress.setPipeline(mail, pipeline);
            PostProgress.set(mail, PostProgress.LIST, list.address().asString());
            PostProgress.set(mail, PostProgress.POST_KEY, postKeyOf(mail.getName()));
            PostProgress.set(mail, PostProgress.NEXT, 0);
        }
        if (mail.getAttribute(PostProgress.PARKED_AT).isPresent()) {
            LOGGER.info("Replaying parked post {} of {} from handler {}", mail.getName(), list.address().asString(),
                PostProgress.string(mail, PostProgress.FAILED_HANDLER).orElse("?"));
            PostProgress.clearFailure(mail);
            PostProgress.set(mail, PostProgress.ATTEMPTS, 0);
        }
        String postKey = PostProgress.string(mail, PostProgress.POST_KEY).orElseGet(() -> postKeyOf(mail.getName()));
        PostContext context = new PostContext(mail, list, postKey, mailetContext, settings, clock, handOff, recipient);

        for (int index = PostProgress.next(mail); index < pipeline.size(); index++) {
            String name = pipeline.get(index);
            Optional<Handler> handler = registry.find(name);
            if (handler.isEmpty()) {
                String reason = "handler '" + name + "' of this post's pipeline no longer exists (pipeline snapshot "
                    + String.join(",", pipeline) + ")";
                return park(mail, name, reason, null);
            }
            try (MDC.MDCCloseable ignored = MDC.putCloseable("handler", name)) {
                Handler current = handler.get();
                HandlerResult result = timer.time(name, () -> current.handle(context));
                PostProgress.set(mail, PostProgress.NEXT, index + 1);
                PostProgress.set(mail, PostProgress.ATTEMPTS, 0);
                PostProgress.clearFailure(mail);
                if (result.kind() == HandlerResult.Kind.DISCARD) {
                    return Disposition.discarded(name, result.reason().orElse("discarded"));
                }
                if (result.kind() == HandlerResult.Kind.HOLD) {
                    return Disposition.held(name, result.reason().orElse("held"));
                }
            } catch (TransientFailureException e) {
                return retryOrPark(mail, name, e);
            } catch (Exception e) {
                return park(mail, name, abbreviate(describe(e), MAX_ERROR_LENGTH), e);
            }
        }
        return Disposition.completed();
    }

    private Disposition retryOrPark(Mail mail, String handler, TransientFailureException e) {
        int attempt = PostProgress.attempts(mail) + 1;
        String error = abbreviate(describe(e), MAX_ERROR_LENGTH);
        if (attempt > settings.retryPolicy().maxAttempts()) {
            return park(mail, handler, "gave up after " + (attempt - 1) + " retries: " + error, e);
        }
        PostProgress.set(mail, PostProgress.ATTEMPTS, attempt);
        PostProgress.set(mail, PostProgress.FAILED_HANDLER, handler);
        PostProgress.set(mail, PostProgress.ERROR, error);
        return Disposition.retry(handler, error, settings.retryPolicy().delayBefore(attempt), attempt);
    }

    private Disposition park(Mail mail, String handler, String reason, Throwable failure) {
        PostProgress.set(mail, PostProgress.FAILED_HANDLER, handler);
        PostProgress.set(mail, PostProgress.ERROR, reason);
        PostProgress.set(mail, PostProgress.STACK_TRACE, failure == null ? reason : abbreviate(stackTrace(failure), MAX_STACK_TRACE_LENGTH));
        PostProgress.set(mail, PostProgress.PARKED_AT, clock.instant().toString());
        return Disposition.park(handler, reason);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String stackTrace(Throwable failure) {
        StringWriter writer = new StringWriter();
        failure.printStackTrace(new PrintWriter(writer));
        return writer.toString();
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    static String postKeyOf(String mailName) {
        if (mailName.length() <= MAX_POST_KEY_LENGTH) {
            return mailName;
        }
        return "sha256:" + Digests.sha256Hex(mailName);
    }
}
