package org.listkeeper.mailets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.listkeeper.bounces.DeliveryFailures;
import org.listkeeper.delivery.ConnectionPool;
import org.listkeeper.delivery.DestinationSlots;
import org.listkeeper.delivery.Route;
import org.listkeeper.delivery.SmtpDelivery;
import org.listkeeper.james.DeliveryClaims;
import org.listkeeper.james.ListBatchTransportQueues;
import org.listkeeper.james.ListDeliveries;
import org.listkeeper.james.ListkeeperConfiguration;
import org.listkeeper.list.Lists;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.pipeline.ListBatch;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.TransportStep;
import org.listkeeper.store.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Delivers list batches itself: takes each fan-out batch mail (the post once, its members, how it is sent) off the
 * processor onto a durable James queue of its own, and delivers from there on its own bounded pool of threads, so
 * spool threads never wait on a remote server and a restart finds undelivered batches in that queue. Bulk batches go
 * as one transaction per destination (up to {@code maxRecipientsPerTransaction} recipients); VERP and personalized
 * batches as one transaction per member from the member's VERP address, personalized copies rendered from the post
 * parsed once per batch. Connections are reused across transactions and batches, pipelined where offered, with
 * {@code STARTTLS} when offered (or required). Each attempt's outcome is written to the list store before the queue
 * item is acknowledged; deferred recipients ({@code 4xx}, a dropped connection) go back on the queue as a smaller
 * batch with exponential backoff, refused ones ({@code 5xx}) are counted as bounces of those members at once. Mail
 * that is not a list batch passes on untouched (to {@code RemoteDelivery}).
 *
 * <p>Parameters, all optional:</p>
 * <ul>
 *   <li>{@code gateway} (host name): a relay for all list mail; without it, each domain's MX by priority, falling back
 *   to the domain's address, through James's DNS service.</li>
 *   <li>{@code gatewayPort} (1–65535, default 25); {@code mxPort} (default 25; another port only for tests).</li>
 *   <li>{@code queue} (default {@code listkeeper-delivery}).</li>
 *   <li>{@code deliveryThreads} (default 8): batches delivered at once (to different destinations).</li>
 *   <li>{@code maxBatchesPerDestination} (default 1): batches delivering to one destination (the relay, or a domain) at
 *   once, each over its own connection. A batch holds its destinations from its first transaction until its outcome is
 *   recorded, so with 1 a process killed at any moment can repeat at most one batch per destination.</li>
 *   <li>{@code maxRecipientsPerTransaction} (default 100); {@code maxMessagesPerConnection} (default 100).</li>
 *   <li>{@code connectTimeout} (default 30s), {@code readTimeout} (default 2m), {@code idleTimeout} (default 30s: how
 *   long an unused connection stays open for the next batch).</li>
 *   <li>{@code startTls}: {@code opportunistic} (default), {@code required} (a server that does not offer it gets
 *   nothing; the batch waits and is tried again) or {@code off}.</li>
 *   <li>{@code heloName} (default: James's HELO name, else this host's name).</li>
 *   <li>{@code retryBaseDelay} (default 15s), {@code retryMaxDelay} (default 1h), {@code retryMaxAttempts} (default 128,
 *   about five days): backoff for deferred recipients; after the last attempt they are counted as failures.</li>
 *   <li>{@code dkimKeys}: {@code domain:selector:/path/key.pem}, comma-separated, one per list domain (RSA, PEM):
 *   each copy of a list at that domain is signed after it is rendered, over its one-click headers too; a bulk or VERP
 *   batch once.</li>
 * </ul>
 *
 * <pre>{@code
 * <mailet match="All" class="org.listkeeper.mailets.ListDelivery">
 *     <gateway>smtp.example.org</gateway>
 *     <deliveryThreads>8</deliveryThreads>
 *     <startTls>opportunistic</startTls>
 * </mailet>
 * }</pre>
 */
public final class ListDelivery extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListDelivery.class);
    /** The parameters it accepts (the configuration test reads them). */
    static final java.util.Set<String> PARAMETERS = ListDeliveryConfiguration.PARAMETERS;
    /** How long a batch waits after its delivery failed in Listkeeper itself (the list store away). */
    private static final Duration AGAIN_AFTER_FAILURE = Duration.ofSeconds(30);
    /** A batch another node is delivering: its record is usually there within seconds. */
    private static final Duration ELSEWHERE_AGAIN = Duration.ofSeconds(10);

    private final MailQueueFactory<?> queues;
    private final PostLedger posts;
    private final Lists lists;
    private final DeliveryFailures failures;
    private final Dispatch dispatch;
    private final ListBatchTransportQueues.StoreHandle blocks;
    private final ListDeliveries deliveries;
    private final DNSService dns;
    private final MetricFactory metrics;
    private final Clock clock;
    private final DeliveryClaims claims;

    private ListDeliveryConfiguration configuration;
    private MailQueue queue;
    private ConnectionPool pool;
    private BatchDeliverer deliverer;
    private Scheduler workers;
    private Scheduler dequeuer;
    private ScheduledExecutorService sweeper;
    private Disposable consumer;

    @Inject
    public ListDelivery(MailQueueFactory<?> queues, PostLedger posts, Lists lists, DeliveryFailures failures, Dispatch dispatch,
                        ListBatchTransportQueues.StoreHandle blocks, ListDeliveries deliveries, DNSService dns, MetricFactory metrics,
                        Leases leases, ListkeeperConfiguration server, Clock clock) {
        this.claims = new DeliveryClaims(posts, leases, clock, server.cluster());
        this.queues = queues;
        this.posts = posts;
        this.lists = lists;
        this.failures = failures;
        this.dispatch = dispatch;
        this.blocks = blocks;
        this.deliveries = deliveries;
        this.dns = dns;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        configuration = ListDeliveryConfiguration.parse(getMailetConfig(), heloName());
        queue = queues.createQueue(MailQueueName.of(configuration.queue()));
        DeliveryCounters counters = new DeliveryCounters(metrics);
        pool = new ConnectionPool(configuration.smtp(), counters);
        Route route = configuration.gateway()
            .map(host -> Route.gateway(host, configuration.gatewayPort()))
            .orElseGet(() -> new MxRoute(dns, configuration.mxPort()));
        SmtpDelivery smtp = new SmtpDelivery(route, pool, configuration.smtp(), counters);
        deliverer = new BatchDeliverer(posts, lists, failures, dispatch, blocks, getMailetContext(), smtp,
            new DestinationSlots(configuration.batchesPerDestination()), claims, configuration.retries(), queue,
            configuration.dkim(), clock);
        workers = Schedulers.newBoundedElastic(configuration.threads(), 10_000, "ListDelivery");
        dequeuer = Schedulers.newSingle("ListDelivery-Dequeue");
        // taking from the queue blocks (a JMS receive): on its own thread, requests included. Were it to run on the
        // delivery thread that asked for the next item, that thread would keep waiting in the queue while the item it
        // took sits scheduled behind it, never delivered and never acknowledged
        consumer = Flux.from(queue.deQueue())
            .subscribeOn(dequeuer, true)
            .flatMap(item -> Mono.fromRunnable(() -> work(item)).subscribeOn(workers), configuration.threads())
            .onErrorContinue((error, item) -> LOGGER.error("List delivery: a queue item failed", error))
            // the queue itself failing (the broker away) ends its stream: take from it again, never stop delivering
            .doOnError(error -> LOGGER.error("List delivery: taking from queue {} failed; trying again", configuration.queue(), error))
            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
            .subscribe();
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ListDelivery-Sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(pool::sweep, 5, 5, TimeUnit.SECONDS);
        claims.heartbeat();
        sweeper.scheduleWithFixedDelay(claims::heartbeat, DeliveryClaims.HEARTBEAT.toMillis(), DeliveryClaims.HEARTBEAT.toMillis(),
            TimeUnit.MILLISECONDS);
        deliveries.started();
        LOGGER.info("{} ready: list batches through {}, {} threads, queue {}, {}, {}", getMailetName(), route, configuration.threads(),
            configuration.queue(), configuration.smtp(), configuration.dkim());
    }

    private String heloName() {
        Object configured = getMailetContext().getAttribute("org.apache.james.HelloName");
        if (configured instanceof String && !((String) configured).isBlank()) {
            return ((String) configured).strip();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Takes a list batch off the processor onto the delivery queue, once; other mail goes on untouched. */
    @Override
    public void service(Mail mail) throws MessagingException {
        if (ListBatch.mode(mail).isEmpty() || mail.getRecipients().isEmpty()) {
            return;
        }
        long listId = PostProgress.number(mail, PostProgress.LIST_ID).orElseThrow();
        String mark = "delivery " + BatchDeliverer.item(mail);
        if (ListBatch.attempt(mail) == 0 && step(mark) != TransportStep.NONE) {
            // the spool handed the batch over again after a crash that came after it was queued here
            LOGGER.info("List batch {} of post {} is on queue {} already; not queued again", PostProgress.string(mail, PostProgress.BATCH).orElse("?"),
                PostProgress.string(mail, PostProgress.POST_KEY).orElse("?"), configuration.queue());
        } else {
            queue.enQueue(mail);
            try {
                posts.transportQueued(listId, mark, 0, clock.instant());
            } catch (RuntimeException e) {
                LOGGER.warn("Cannot mark list batch {} queued ({}); a restart may queue it again", mark, e.getMessage());
            }
        }
        mail.setState(Mail.GHOST);
    }

    private TransportStep step(String mark) {
        try {
            return posts.transportStep(mark, 0);
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot read the queue mark of list batch {} ({}); queueing it", mark, e.getMessage());
            return TransportStep.NONE;
        }
    }

    private void work(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try {
            deliverer.deliver(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (BatchDeliverer.DeliveredElsewhere e) {
            // a second copy of this batch, the first in another node's hands: by the time this one comes back, that
            // node's record is there (or it is gone, and this node takes the batch over)
            LOGGER.info("List delivery: {}; {} looks at it again in {}", e.getMessage(), mail.getName(), ELSEWHERE_AGAIN);
            requeue(item, mail, ELSEWHERE_AGAIN);
        } catch (Exception e) {
            // the store away, most often: nothing was recorded. The batch goes back on the queue to wait, durably
            // (a broker's own redelivery gives up after a few tries and moves the item aside, where nobody delivers it)
            LOGGER.error("List delivery of {} failed before its outcome was recorded; it waits {} on queue {} and is tried again",
                mail.getName(), AGAIN_AFTER_FAILURE, configuration.queue(), e);
            requeue(item, mail, AGAIN_AFTER_FAILURE);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    private void requeue(MailQueue.MailQueueItem item, Mail mail, Duration after) {
        try {
            queue.enQueue(mail, after);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("List delivery could not put {} back on its queue; the queue hands it over again", mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (Exception again) {
                LOGGER.error("List delivery could not give {} back to its queue", mail.getName(), again);
            }
        }
    }

    @Override
    public void destroy() {
        deliveries.stopped();
        if (sweeper != null) {
            // started: other nodes may take this node's claims at once
            claims.stop();
        }
        Optional.ofNullable(consumer).ifPresent(Disposable::dispose);
        Optional.ofNullable(workers).ifPresent(Scheduler::dispose);
        Optional.ofNullable(dequeuer).ifPresent(Scheduler::dispose);
        Optional.ofNullable(sweeper).ifPresent(ScheduledExecutorService::shutdownNow);
        Optional.ofNullable(pool).ifPresent(ConnectionPool::close);
    }

    @Override
    public String getMailetInfo() {
        return "Listkeeper: list batches delivered over pooled SMTP, outcomes recorded before the queue forgets them";
    }
}
