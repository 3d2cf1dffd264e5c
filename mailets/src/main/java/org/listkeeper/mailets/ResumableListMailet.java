package org.listkeeper.mailets;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;

import org.listkeeper.james.ListDeliveries;
import javax.mail.MessagingException;

import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryStore.MailRepositoryStoreException;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.listkeeper.ListkeeperException;
import org.listkeeper.internal.Redaction;
import org.listkeeper.james.Housekeeping;
import org.listkeeper.james.StoreRetries;
import org.listkeeper.james.ListkeeperConfiguration;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.Lists;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.HandlerTimer;
import org.listkeeper.pipeline.PipelineEngine;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.PostProgress;
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
 * in one transaction is split into one post per list first. The parts: {@link ResumableListMailetConfiguration} (the
 * parameters, parsed once), {@link PostRouting} (which list address a mail is for, splitting), the engine (the
 * pipeline), {@link Dispositions} (what becomes of the mail, with its metrics); the server-wide
 * {@link Housekeeping} is started by the first mailet that serves posts.</p>
 *
 * <p>Parameters, all optional:</p>
 * <ul>
 *   <li>{@code pipeline}: comma-separated handler names, default
 *       {@code mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out}. An unknown name stops
 *       James at start-up.</li>
 *   <li>{@code retryBaseDelay} (duration, default {@code 5s}), {@code retryMaxDelay} (default {@code 10m}),
 *       {@code retryMaxAttempts} (integer, default 12): the backoff for transient failures.</li>
 *   <li>{@code retryScheduler} ({@code queue}, the default, or {@code store}): where a post waits for its retry. With
 *       {@code queue} it goes back on the spool with a delivery delay, which James's memory and ActiveMQ queues honour;
 *       with {@code store} it waits in the list store and any node queues it again when it is due, for a James whose
 *       queue ignores delays (the RabbitMQ queue of James's distributed server).</li>
 *   <li>{@code batchSize} (integer, default 500): recipients per fan-out batch; {@code pageSize} (integer,
 *       default 1000): members read from the store at a time.</li>
 *   <li>{@code transportProcessor} (default {@code transport}): where fan-out hands batches.</li>
 *   <li>{@code duplicateWindow} (duration, default {@code 7d}): how long a Message-ID suppresses a resent post.</li>
 *   <li>{@code addresses} (comma-separated address kinds, default {@code post}): which of a list's addresses this
 *       mailet serves: {@code post}, or sub-addresses such as {@code request,join,subscribe,leave,unsubscribe,confirm},
 *       each with its own pipeline (for those: {@code duplicate-check,request-commands,send-replies}).</li>
 *   <li>{@code parkingRepository} (mail repository URL, default {@code parking.repository} of listkeeper.properties,
 *       itself {@code file://var/mail/listkeeper/parked/} by default; the WebAdmin parked-post routes read that one).</li>
 * </ul>
 *
 * <pre>{@code
 * <processor state="listkeeper" enableJmx="false">
 *   <mailet match="All" class="org.listkeeper.mailets.ResumableListMailet">
 *     <pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out</pipeline>
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
    public static final String PIPELINE = ResumableListMailetConfiguration.PIPELINE;
    public static final String RETRY_BASE_DELAY = ResumableListMailetConfiguration.RETRY_BASE_DELAY;
    public static final String RETRY_MAX_DELAY = ResumableListMailetConfiguration.RETRY_MAX_DELAY;
    public static final String RETRY_MAX_ATTEMPTS = ResumableListMailetConfiguration.RETRY_MAX_ATTEMPTS;
    public static final String BATCH_SIZE = ResumableListMailetConfiguration.BATCH_SIZE;
    public static final String PAGE_SIZE = ResumableListMailetConfiguration.PAGE_SIZE;
    public static final String TRANSPORT_PROCESSOR = ResumableListMailetConfiguration.TRANSPORT_PROCESSOR;
    public static final String DUPLICATE_WINDOW = ResumableListMailetConfiguration.DUPLICATE_WINDOW;
    public static final String PARKING_REPOSITORY = ResumableListMailetConfiguration.PARKING_REPOSITORY;
    public static final String ADDRESSES = ResumableListMailetConfiguration.ADDRESSES;
    /** Prefix of the James metrics this mailet publishes. */
    public static final String METRIC_PREFIX = Dispositions.METRIC_PREFIX;
    static final Set<String> PARAMETERS = ResumableListMailetConfiguration.PARAMETERS;

    private static final Logger LOGGER = LoggerFactory.getLogger(ResumableListMailet.class);

    private final Lists lists;
    private final ListDirectory directory;
    private final HandlerRegistry registry;
    private final MailRepositoryStore repositories;
    private final ListkeeperConfiguration server;
    private final MetricFactory metrics;
    private final Moderation moderation;
    private final Dispatch dispatch;
    private final HoldQueue holdQueue;
    private final Housekeeping housekeeping;
    private final StoreRetries storeRetries;
    private final ListDeliveries deliveries;
    private final Clock clock;

    private ResumableListMailetConfiguration configuration;
    private PipelineEngine engine;
    private PostRouting routing;
    private Dispositions dispositions;

    @Inject
    public ResumableListMailet(Lists lists, ListDirectory directory, HandlerRegistry registry, MailRepositoryStore repositories,
                               ListkeeperConfiguration server, MetricFactory metrics, Moderation moderation, Dispatch dispatch,
                               HoldQueue holdQueue, Housekeeping housekeeping, StoreRetries storeRetries, ListDeliveries deliveries,
                               Clock clock) {
        this.storeRetries = storeRetries;
        this.deliveries = deliveries;
        this.lists = lists;
        this.directory = directory;
        this.registry = registry;
        this.repositories = repositories;
        this.server = server;
        this.metrics = metrics;
        this.moderation = moderation;
        this.dispatch = dispatch;
        this.holdQueue = holdQueue;
        this.housekeeping = housekeeping;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        configuration = ResumableListMailetConfiguration.parse(getMailetConfig(), server.parkingRepository());
        PipelineSettings settings = configuration.pipeline();
        try {
            engine = PipelineEngine.create(registry, lists, settings, clock, this::timeHandler, new JamesTransportHandOff(deliveries));
        } catch (ListkeeperException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage(), e);
        }
        String url = configuration.parkingRepository();
        MailRepositoryUrl parkingUrl;
        MailRepository parking;
        try {
            parkingUrl = MailRepositoryUrl.from(url);
            parking = repositories.select(parkingUrl);
        } catch (IllegalArgumentException | MailRepositoryStoreException e) {
            throw new MessagingException(getMailetName() + ": invalid " + PARKING_REPOSITORY + " '" + url + "': " + e.getMessage(), e);
        }
        routing = new PostRouting(directory, configuration.kinds(), getMailetName());
        RetryScheduler retries;
        if (configuration.retryWait() == ResumableListMailetConfiguration.RetryWait.STORE) {
            storeRetries.start(getMailetContext());
            retries = new StoreRetryScheduler(storeRetries);
        } else {
            retries = new QueueDelayRetryScheduler(getMailetContext());
        }
        dispositions = new Dispositions(metrics, lists, moderation, dispatch, holdQueue, retries, parking, parkingUrl,
            settings.transportProcessor(), clock);
        if (configuration.servesPosts()) {
            housekeeping.start(getMailetContext(), settings.transportProcessor(), settings.duplicateWindow());
        }
        LOGGER.info("{} ready: pipeline {}, {} (waiting in the {}), parking in {}", getMailetName(), settings.pipeline(),
            settings.retryPolicy(), configuration.retryWait() == ResumableListMailetConfiguration.RetryWait.STORE ? "list store" : "queue",
            parkingUrl.asString());
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

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return List.of(new ProcessingState(configuration != null ? configuration.pipeline().transportProcessor()
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
            Optional<ListRecipient> recipient = routing.route(mail, getMailetContext());
            if (recipient.isEmpty()) {
                return;
            }
            if (PostProgress.pipeline(mail).isEmpty()) {
                dispositions.received();
            }
            try (MDC.MDCCloseable list = MDC.putCloseable("list", recipient.get().list().asString())) {
                dispositions.act(mail, recipient.get(), engine.run(mail, recipient.get(), getMailetContext()), getMailetContext());
            }
        }
    }
}
