package org.listkeeper.mailets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryStore.MailRepositoryStoreException;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.listkeeper.ListkeeperException;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.listkeeper.handlers.MessageIds;
import org.listkeeper.james.ListkeeperConfiguration;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.HandlerTimer;
import org.listkeeper.handlers.MimeCheck;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.bounces.Bounces;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Letters;
import org.listkeeper.notices.Notice;
import org.listkeeper.store.ListSummary;
import org.listkeeper.pipeline.Disposition;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.PipelineEngine;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.RetryPolicy;
import org.listkeeper.store.Durations;
import org.listkeeper.store.ListStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs list posts through their list's pipeline of handlers, resuming where an earlier attempt stopped.
 *
 * <p>A transient failure (the list store unreachable, a lock timeout) re-enqueues the post durably into
 * the same processor after an exponential backoff; a permanent failure, or retries running out, parks it
 * in a mail repository with the failing handler, the error and the stack trace as attributes. Replaying a
 * parked post (James WebAdmin reprocess) resumes at the handler that failed. A post sent to several lists
 * in one transaction is split into one post per list first.</p>
 *
 * <p>Parameters, all optional:</p>
 * <ul>
 *   <li>{@code pipeline}: comma-separated handler names, default
 *       {@code mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,fan-out}. An unknown name stops
 *       James at start-up.</li>
 *   <li>{@code retryBaseDelay} (duration, default {@code 5s}), {@code retryMaxDelay} (default {@code 10m}),
 *       {@code retryMaxAttempts} (integer, default 12): the backoff for transient failures.</li>
 *   <li>{@code batchSize} (integer, default 500): recipients per fan-out batch; {@code pageSize} (integer,
 *       default 1000): members read from the store at a time.</li>
 *   <li>{@code transportProcessor} (default {@code transport}): where fan-out hands batches.</li>
 *   <li>{@code duplicateWindow} (duration, default {@code 7d}): how long a Message-ID suppresses a resent post.</li>
 *   <li>{@code addresses} (comma-separated address kinds, default {@code post}): which of a list's addresses this
 *       mailet serves: {@code post}, or sub-addresses such as {@code request,join,subscribe,leave,unsubscribe,confirm},
 *       each with its own pipeline (for those: {@code request-commands,send-replies}).</li>
 *   <li>{@code parkingRepository} (mail repository URL, default {@code parking.repository} of listkeeper.properties,
 *       itself {@code file://var/mail/listkeeper/parked/} by default; the WebAdmin parked-post routes read that one).</li>
 * </ul>
 *
 * <pre>{@code
 * <processor state="listkeeper" enableJmx="false">
 *   <mailet match="All" class="org.listkeeper.mailets.ResumableListMailet">
 *     <pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,fan-out</pipeline>
 *     <retryBaseDelay>5s</retryBaseDelay>
 *     <retryMaxDelay>10m</retryMaxDelay>
 *     <retryMaxAttempts>12</retryMaxAttempts>
 *     <batchSize>500</batchSize>
 *     <onMailetException>propagate</onMailetException>
 *   </mailet>
 * </processor>
 * }</pre>
 */
public final class ResumableListMailet extends GenericMailet {
    public static final String PIPELINE = "pipeline";
    public static final String RETRY_BASE_DELAY = "retryBaseDelay";
    public static final String RETRY_MAX_DELAY = "retryMaxDelay";
    public static final String RETRY_MAX_ATTEMPTS = "retryMaxAttempts";
    public static final String BATCH_SIZE = "batchSize";
    public static final String PAGE_SIZE = "pageSize";
    public static final String TRANSPORT_PROCESSOR = "transportProcessor";
    public static final String DUPLICATE_WINDOW = "duplicateWindow";
    public static final String PARKING_REPOSITORY = "parkingRepository";
    public static final String ADDRESSES = "addresses";
    /** Prefix of the James metrics this mailet publishes. */
    public static final String METRIC_PREFIX = "listkeeper_";
    static final Set<String> PARAMETERS = Set.of(PIPELINE, RETRY_BASE_DELAY, RETRY_MAX_DELAY, RETRY_MAX_ATTEMPTS, BATCH_SIZE,
        PAGE_SIZE, TRANSPORT_PROCESSOR, DUPLICATE_WINDOW, PARKING_REPOSITORY, ADDRESSES, "onMailetException", "onMatchException");

    private static final Logger LOGGER = LoggerFactory.getLogger(ResumableListMailet.class);

    private final ListStore store;
    private final ListDirectory directory;
    private final HandlerRegistry registry;
    private final MailRepositoryStore repositories;
    private final ListkeeperConfiguration configuration;
    private final MetricFactory metrics;
    private final HoldQueue holdQueue;
    private final DmarcPolicies dmarcPolicies;
    private final Clock clock;
    private final Metric received;
    private final Metric delivered;
    private final Metric retried;
    private final Metric parked;
    private final Metric discarded;
    private final Metric held;

    private ScheduledExecutorService housekeeping;
    private PipelineEngine engine;
    private MailRepository parking;
    private MailRepositoryUrl parkingUrl;
    private RetryScheduler retryScheduler;
    private Set<ListRecipient.Kind> kinds;

    @Inject
    public ResumableListMailet(ListStore store, ListDirectory directory, HandlerRegistry registry, MailRepositoryStore repositories,
                               ListkeeperConfiguration configuration, MetricFactory metrics, HoldQueue holdQueue,
                               DmarcPolicies dmarcPolicies, Clock clock) {
        this.dmarcPolicies = dmarcPolicies;
        this.store = store;
        this.directory = directory;
        this.registry = registry;
        this.repositories = repositories;
        this.configuration = configuration;
        this.metrics = metrics;
        this.holdQueue = holdQueue;
        this.clock = clock;
        this.received = metrics.generate(METRIC_PREFIX + "posts_received");
        this.delivered = metrics.generate(METRIC_PREFIX + "posts_delivered");
        this.retried = metrics.generate(METRIC_PREFIX + "posts_retried");
        this.parked = metrics.generate(METRIC_PREFIX + "posts_parked");
        this.discarded = metrics.generate(METRIC_PREFIX + "posts_discarded");
        this.held = metrics.generate(METRIC_PREFIX + "posts_held");
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        kinds = kinds(getInitParameter(ADDRESSES, "post"));
        PipelineSettings settings;
        try {
            settings = settings();
            engine = PipelineEngine.create(registry, store, settings, clock, this::timeHandler, new JamesTransportHandOff(), holdQueue);
        } catch (ListkeeperException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage(), e);
        }
        String url = getInitParameter(PARKING_REPOSITORY, configuration.parkingRepository()).strip();
        try {
            parkingUrl = MailRepositoryUrl.from(url);
            parking = repositories.select(parkingUrl);
        } catch (IllegalArgumentException | MailRepositoryStoreException e) {
            throw new MessagingException(getMailetName() + ": invalid " + PARKING_REPOSITORY + " '" + url + "': " + e.getMessage(), e);
        }
        retryScheduler = new QueueDelayRetryScheduler(getMailetContext());
        if (kinds.contains(ListRecipient.Kind.POST)) {
            // one housekeeper per server is enough: the one of the posting pipeline
            startHousekeeping(settings.duplicateWindow());
        }
        LOGGER.info("{} ready: pipeline {}, {}, parking in {}", getMailetName(), settings.pipeline(), settings.retryPolicy(), parkingUrl.asString());
    }

    private Set<ListRecipient.Kind> kinds(String value) throws MessagingException {
        Set<ListRecipient.Kind> parsed = EnumSet.noneOf(ListRecipient.Kind.class);
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                parsed.add(ListRecipient.Kind.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new MessagingException(getMailetName() + ": unknown address kind '" + name.strip() + "' in " + ADDRESSES
                    + "; known are " + Arrays.stream(ListRecipient.Kind.values()).map(ListRecipient.Kind::value)
                    .collect(Collectors.joining(", ")));
            }
        }
        if (parsed.isEmpty()) {
            throw new MessagingException(getMailetName() + ": " + ADDRESSES + " names no address kind");
        }
        return parsed;
    }

    /** One James timer per handler, such as {@code listkeeper_handler_fan_out}. */
    private HandlerResult timeHandler(String handler, HandlerTimer.Invocation invocation) throws MessagingException {
        TimeMetric timer = metrics.timer(METRIC_PREFIX + "handler_" + handler.replace('-', '_'));
        try {
            return invocation.invoke();
        } finally {
            timer.stopAndPublish();
        }
    }

    /**
     * Hourly: forgets Message-ID and batch claims older than the duplicate window, marks expired requests, drops
     * tokens a month after they expired and automatic-reply counts of past days.
     */
    private void startHousekeeping(Duration window) {
        housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "listkeeper-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                Instant now = clock.instant();
                int purged = store.purgeClaimsBefore(now.minus(window));
                int expired = store.expireRequests(now);
                int tokens = store.purgeTokensBefore(now.minus(Duration.ofDays(30)));
                store.purgeAutoRepliesBefore(now.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() - 1);
                if (purged + expired + tokens > 0) {
                    LOGGER.info("Housekeeping: forgot {} claims older than {}, {} requests expired, {} old tokens dropped", purged,
                        window, expired, tokens);
                }
            } catch (RuntimeException e) {
                LOGGER.warn("Housekeeping of the list store failed; will try again: {}", e.getMessage());
            }
        }, 1, 60, TimeUnit.MINUTES);
        // held posts: decisions a crash interrupted are finished soon after a start; expiries, summaries and bounce
        // probes every housekeeping.interval
        long interval = configuration.housekeepingInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::moderationHousekeeping, Math.min(5_000, interval), interval, TimeUnit.MILLISECONDS);
    }

    private void moderationHousekeeping() {
        try {
            Moderation moderation = new Moderation(store, holdQueue, clock);
            for (ListSummary summary : store.lists()) {
                MailingList list = store.findList(summary.list().address()).orElse(null);
                if (list == null) {
                    continue;
                }
                List<Notice> notices = new ArrayList<>(moderation.recover(list));
                notices.addAll(moderation.summary(list));
                notices.addAll(new Bounces(store, clock).housekeeping(list));
                send(list, notices, Optional.empty());
            }
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Housekeeping of held posts and bounces failed; will try again: {}", e.getMessage());
        }
    }

    /** Writes and sends notices, attaching held posts from the hold queue. */
    private void send(MailingList list, List<Notice> notices, Optional<Mail> inReplyTo) throws MessagingException {
        if (notices.isEmpty()) {
            return;
        }
        Optional<MailAddress> poster = inReplyTo.flatMap(mail -> mail.getMaybeSender().asOptional());
        List<Letters.Letter> letters = Dispatch.write(store, list, notices, poster,
            inReplyTo.isPresent() ? Optional.of(inReplyTo.get().getMessage()) : Optional.empty(), clock.instant(), key -> {
                Optional<Mail> held = holdQueue.get(key);
                return held.isPresent() ? Optional.of(held.get().getMessage()) : Optional.empty();
            });
        Dispatch.send(getMailetContext(), list, letters, engine.settings().transportProcessor());
    }

    @Override
    public void destroy() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
    }

    private PipelineSettings settings() {
        PipelineSettings.Builder builder = PipelineSettings.builder();
        if (kinds.equals(EnumSet.of(ListRecipient.Kind.BOUNCES))) {
            builder.pipeline(List.of("bounce-processing"));
        } else if (!kinds.contains(ListRecipient.Kind.POST)) {
            builder.pipeline(PipelineSettings.DEFAULT_REQUEST_PIPELINE);
        }
        getInitParameterAsOptional(PIPELINE).ifPresent(value -> builder.pipeline(Arrays.stream(value.split(","))
            .map(String::strip).filter(name -> !name.isEmpty()).collect(Collectors.toList())));
        RetryPolicy defaults = RetryPolicy.defaults();
        builder.retryPolicy(RetryPolicy.of(
            duration(RETRY_BASE_DELAY).orElse(defaults.base()),
            duration(RETRY_MAX_DELAY).orElse(defaults.maxDelay()),
            integer(RETRY_MAX_ATTEMPTS).orElse(defaults.maxAttempts())));
        integer(BATCH_SIZE).ifPresent(builder::batchSize);
        integer(PAGE_SIZE).ifPresent(builder::pageSize);
        getInitParameterAsOptional(TRANSPORT_PROCESSOR).ifPresent(builder::transportProcessor);
        duration(DUPLICATE_WINDOW).ifPresent(builder::duplicateWindow);
        builder.bannedAddresses(configuration.bannedAddresses());
        configuration.publicBaseUrl().ifPresent(builder::publicBaseUrl);
        builder.dmarcPolicies(dmarcPolicies);
        return builder.build();
    }

    private Optional<Duration> duration(String name) {
        return getInitParameterAsOptional(name).map(value -> Durations.parse(name, value));
    }

    private Optional<Integer> integer(String name) {
        return getInitParameterAsOptional(name).map(value -> {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new org.listkeeper.InvalidValueException(name, value, "expected a whole number");
            }
        });
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return List.of(new ProcessingState(engine != null ? engine.settings().transportProcessor()
            : getInitParameter(TRANSPORT_PROCESSOR, PipelineSettings.DEFAULT_TRANSPORT)));
    }

    @Override
    public String getMailetInfo() {
        return "Listkeeper resumable list pipeline";
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        // James's MDC names the mail's recipients, a confirmation token among them: not in anything logged from here
        try (Redaction.Scope ignored = Redaction.scrubMdc()) {
            serviceScrubbed(mail);
        }
    }

    private void serviceScrubbed(Mail mail) throws MessagingException {
        Optional<ListRecipient> assigned = assignedRecipient(mail);
        ListRecipient recipient;
        if (assigned.isPresent()) {
            recipient = assigned.get();
        } else {
            List<ListRecipient> mine = new ArrayList<>();
            for (MailAddress address : mail.getRecipients()) {
                resolve(address).filter(r -> kinds.contains(r.kind())).ifPresent(mine::add);
            }
            if (mine.isEmpty()) {
                LOGGER.warn("Mail {} reached {} without a recipient of kind {} ({}); passing it on", mail.getName(), getMailetName(),
                    kinds, Redaction.addresses(mail.getRecipients()));
                return;
            }
            if (mine.size() > 1 || mail.getRecipients().size() > 1) {
                split(mail, mine);
                return;
            }
            recipient = mine.get(0);
            if (recipient.kind() != ListRecipient.Kind.POST) {
                mail.setAttribute(new Attribute(PostProgress.RECIPIENT, AttributeValue.of(recipient.address().asString())));
            }
        }
        if (PostProgress.pipeline(mail).isEmpty()) {
            received.increment();
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("list", recipient.list().asString())) {
            act(mail, recipient, engine.run(mail, recipient, getMailetContext()));
        }
    }

    private Optional<ListRecipient> resolve(MailAddress recipient) {
        try {
            return directory.resolve(recipient);
        } catch (ListkeeperException e) {
            throw new IllegalStateException("Cannot tell whether " + Redaction.address(recipient) + " is a list address: "
                + e.getMessage(), e);
        }
    }

    /** The list address a mail was already assigned to: by an earlier split, or by its first run through the engine. */
    private Optional<ListRecipient> assignedRecipient(Mail mail) throws MessagingException {
        Optional<String> recipient = PostProgress.string(mail, PostProgress.RECIPIENT);
        Optional<MailAddress> list = address(mail, PostProgress.LIST);
        if (recipient.isPresent()) {
            Optional<ListRecipient> resolved = resolve(readAddress(mail, recipient.get()));
            if (resolved.isPresent()) {
                return resolved;
            }
            // the list is gone: the engine parks the mail, saying so
            return list.map(ListRecipient::post);
        }
        return list.map(ListRecipient::post);
    }

    private static Optional<MailAddress> address(Mail mail, org.apache.mailet.AttributeName name) throws MessagingException {
        Optional<String> value = PostProgress.string(mail, name);
        return value.isEmpty() ? Optional.empty() : Optional.of(readAddress(mail, value.get()));
    }

    private static MailAddress readAddress(Mail mail, String value) throws MessagingException {
        try {
            return new MailAddress(value);
        } catch (AddressException e) {
            throw new MessagingException("Mail " + mail.getName() + " carries an unreadable list address attribute: "
                + Redaction.of(value), e);
        }
    }

    private void split(Mail mail, List<ListRecipient> recipients) throws MessagingException {
        List<MailAddress> lists = recipients.stream().filter(r -> r.kind() == ListRecipient.Kind.POST).map(ListRecipient::list)
            .collect(Collectors.toList());
        if (!lists.isEmpty()) {
            // copies of an edited message are re-parsed by James: make a malformed one safe first
            MimeCheck.repair(mail.getMessage());
            MessageIds.ensure(mail.getMessage(), mail.getName(), lists.get(0).getDomain().asString());
        }
        for (ListRecipient recipient : recipients) {
            Mail copy = mail.duplicate();
            try {
                copy.setRecipients(List.of(recipient.address()));
                if (recipient.kind() == ListRecipient.Kind.POST) {
                    copy.setAttribute(new Attribute(PostProgress.LIST, AttributeValue.of(recipient.list().asString())));
                } else {
                    copy.setAttribute(new Attribute(PostProgress.RECIPIENT, AttributeValue.of(recipient.address().asString())));
                }
                getMailetContext().sendMail(copy, mail.getState());
            } finally {
                LifecycleUtil.dispose(copy);
            }
        }
        List<MailAddress> others = new ArrayList<>(mail.getRecipients());
        others.removeAll(recipients.stream().map(ListRecipient::address).collect(Collectors.toList()));
        if (others.isEmpty()) {
            mail.setState(Mail.GHOST);
        } else {
            mail.setRecipients(others);
        }
        LOGGER.debug("Split mail {} into one mail per list address: {}", mail.getName(), recipients);
    }

    private void act(Mail mail, ListRecipient recipient, Disposition disposition) throws MessagingException {
        // "Post <id> #12 to team@…" for posts, "Mail <id> #- to team-request@…" for commands
        String what = recipient.kind() == ListRecipient.Kind.POST ? "Post" : "Mail";
        String list = recipient.redacted();
        String messageId = Optional.ofNullable(MessageIds.read(mail.getMessage())).orElse("(none)");
        String postNumber = PostProgress.string(mail, PostProgress.POST_NUMBER).map(n -> "#" + n).orElse("#-");
        switch (disposition.kind()) {
            case COMPLETED:
                delivered.increment();
                mail.setState(Mail.GHOST);
                LOGGER.info("{} {} {} to {}: delivered", what, messageId, postNumber, list);
                break;
            case DISCARDED:
                discarded.increment();
                mail.setState(Mail.GHOST);
                LOGGER.info("{} {} {} to {}: discarded by {}: {}", what, messageId, postNumber, list,
                    disposition.handler().orElse("?"), disposition.reason().orElse(""));
                break;
            case RETRY:
                retryScheduler.schedule(mail, mail.getState(), disposition.delay());
                mail.setState(Mail.GHOST);
                retried.increment();
                LOGGER.info("{} {} {} to {}: retry #{} in {} at {}: {}", what, messageId, postNumber, list,
                    disposition.attempt(), disposition.delay(), disposition.handler().orElse("?"), disposition.reason().orElse(""));
                break;
            case PARK:
                park(mail, list, messageId, postNumber, disposition);
                break;
            case HELD:
                hold(mail, recipient.list(), disposition);
                held.increment();
                LOGGER.info("{} {} {} to {}: held by {}: {}", what, messageId, postNumber, list,
                    disposition.handler().orElse("?"), disposition.reason().orElse(""));
                break;
            default:
                throw new IllegalStateException("Unknown disposition " + disposition);
        }
    }

    /** Keeps a held post for its moderators and tells them (and the poster), then lets go of the spool's copy. */
    private void hold(Mail mail, MailAddress listAddress, Disposition disposition) throws MessagingException {
        MailingList list;
        try {
            list = store.getList(listAddress);
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot hold post " + mail.getName() + ": " + e.getMessage(), e);
        }
        String postKey = PostProgress.string(mail, PostProgress.POST_KEY).orElse(mail.getName());
        List<Notice> notices;
        try {
            notices = new Moderation(store, holdQueue, clock).hold(list, mail, postKey, disposition.reason().orElse("held"));
        } catch (MessagingException | RuntimeException e) {
            // the spool keeps the post only if we fail loudly
            throw new MessagingException("Cannot hold post " + mail.getName() + ": " + e.getMessage(), e);
        }
        try {
            send(list, notices, Optional.of(mail));
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Post {} is held, but its notices could not be sent: {}", mail.getName(), e.getMessage());
        }
        mail.setState(Mail.GHOST);
    }

    private void park(Mail mail, String list, String messageId, String postNumber, Disposition disposition) throws MessagingException {
        try {
            parking.store(mail);
        } catch (MessagingException | RuntimeException e) {
            // the spool keeps the mail only if we fail loudly
            throw new MessagingException("Cannot park post " + mail.getName() + " in " + parkingUrl.asString() + ": " + e.getMessage(), e);
        }
        mail.setState(Mail.GHOST);
        parked.increment();
        LOGGER.warn("Post {} {} to {}: parked in {} as {} at handler {}: {}", messageId, postNumber, list,
            parkingUrl.asString(), mail.getName(), disposition.handler().orElse("?"), disposition.reason().orElse(""));
    }
}
