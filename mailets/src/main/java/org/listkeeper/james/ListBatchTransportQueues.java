package org.listkeeper.james;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.TransportStep;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

/**
 * James's mail queues, with every delivery attempt of a list batch on a transport queue (RemoteDelivery's
 * {@code outgoing}) marked in the list store: when the queue took it, and when it was finished. A durable broker
 * hands a queue item over again when the process died before the item's acknowledgement reached the disk, which
 * can be a second or more after the work was done; two repeats follow from it:
 * <ul>
 *   <li>the spool hands over a batch that RemoteDelivery had already put on {@code outgoing}: that attempt is marked
 *   queued, so it is not queued again;</li>
 *   <li>{@code outgoing} hands over a batch that was already delivered (or bounced, or queued again as its next
 *   attempt): that attempt is marked finished, so it is acknowledged and not delivered again.</li>
 * </ul>
 * What is left is the instant between the remote server's reply and the mark: a batch whose delivery was in flight
 * when the process died may still arrive twice. A mark that the store cannot write or read never holds mail back:
 * the attempt goes on (a possible repeat rather than a loss). Mail that is not a list batch, and the spool queue
 * itself, pass through untouched.
 *
 * <p>An item is known by its queue's name and its mail name (RemoteDelivery names each destination's item after it).
 * The attempt is RemoteDelivery's retry count ({@code delivery_retry_count}, absent on the first attempt); a
 * temporary failure puts the remaining recipients back on the queue as the next attempt, which is marked on its
 * own.</p>
 */
public final class ListBatchTransportQueues implements MailQueueFactory<MailQueue> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListBatchTransportQueues.class);
    /** RemoteDelivery's retry count ({@code DeliveryRetriesHelper.DELIVERY_RETRY_COUNT} in James 3.8). */
    static final AttributeName DELIVERY_RETRY_COUNT = AttributeName.of("delivery_retry_count");
    private static final int MAX_NAME = 255;
    /** Set by RemoteDelivery on every failed attempt ({@code Bouncer.IS_DELIVERY_PERMANENT_ERROR} in James 3.8). */
    static final AttributeName DELIVERY_FAILED = AttributeName.of("is-delivery-permanent-error");

    /** The default queue of {@code ListDelivery}. */
    public static final String LIST_DELIVERY_QUEUE = "listkeeper-delivery";

    private final MailQueueFactory<? extends MailQueue> queues;
    private final StoreHandle store;
    private final Clock clock;

    public ListBatchTransportQueues(MailQueueFactory<? extends MailQueue> queues, StoreHandle store, Clock clock) {
        this.queues = queues;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The list store's post ledger, handed over when the list store opens. James makes its queues in the server's own
     * injector, before the extension's injector opens the list store, so the queues wait for it here: at most
     * {@link #WAIT}, then they go on without marks (and say so).
     */
    @Singleton
    public static final class StoreHandle {
        private static final Duration WAIT = Duration.ofMinutes(1);
        private final CompletableFuture<PostLedger> ledger = new CompletableFuture<>();
        private volatile BlockWatch blocks;

        @Inject
        public StoreHandle() {
        }

        /** Called once the list store is open. */
        public void open(PostLedger posts) {
            ledger.complete(posts);
        }

        /** Called once the list store is open: marks in {@code posts}, block events closed in {@code bounces}. */
        public void open(PostLedger posts, BounceRecords bounces, Clock clock) {
            blocks = new BlockWatch(bounces, clock);
            open(posts);
        }

        /** A block event was opened (or closed) on this node: the next delivery reads the open ones again. */
        public void blocksChanged() {
            BlockWatch watch = blocks;
            if (watch != null) {
                watch.invalidate();
            }
        }

        /** {@code recipients} of list {@code listId} were delivered: their domains' block events may close. */
        public void delivered(long listId, Collection<MailAddress> recipients) {
            BlockWatch watch = blocks;
            if (watch != null) {
                watch.delivered(listId, recipients);
            }
        }

        PostLedger posts() {
            try {
                return ledger.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the list store", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("The list store did not open within " + WAIT, e);
            }
        }
    }

    @Override
    public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return queues.getQueue(name, count).map(this::wrap);
    }

    @Override
    public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return wrap(queues.createQueue(name, count));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return queues.listCreatedMailQueues();
    }

    private MailQueue wrap(MailQueue queue) {
        // list delivery's own queue records its batches' outcomes itself
        return queue.getName().equals(SPOOL) || queue.getName().asString().equals(LIST_DELIVERY_QUEUE) ? queue : new TransportQueue(queue);
    }

    /** One delivery attempt of one list batch's queue item. */
    private static final class Attempt {
        final long listId;
        final String item;
        final int number;

        private Attempt(long listId, String item, int number) {
            this.listId = listId;
            this.item = item;
            this.number = number;
        }

        /**
         * The attempt {@code mail} stands for on {@code queue}, when it is a list batch; read before delivery changes its
         * retry count. Keyed by queue and mail name, so that two transport queues never mistake each other's items.
         */
        static Optional<Attempt> of(MailQueueName queue, Mail mail) {
            Optional<Long> listId = PostProgress.number(mail, PostProgress.LIST_ID);
            if (listId.isEmpty() || PostProgress.string(mail, PostProgress.BATCH).isEmpty()) {
                return Optional.empty();
            }
            String name = queue.asString() + " " + mail.getName();
            String item = name.length() <= MAX_NAME ? name : name.substring(name.length() - MAX_NAME);
            int number = AttributeUtils.getValueAndCastFromMail(mail, DELIVERY_RETRY_COUNT, Integer.class).orElse(0);
            return Optional.of(new Attempt(listId.get(), item, number));
        }

        /** The attempt RemoteDelivery queues when this one ends in "try again later". */
        Attempt next() {
            return new Attempt(listId, item, number + 1);
        }

        @Override
        public String toString() {
            return item + " (attempt " + number + ")";
        }
    }

    private TransportStep step(Attempt attempt) {
        try {
            return store.posts().transportStep(attempt.item, attempt.number);
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot read the transport mark of {} ({}); going on with it", attempt, e.getMessage());
            return TransportStep.NONE;
        }
    }

    private void markQueued(Attempt attempt) {
        try {
            store.posts().transportQueued(attempt.listId, attempt.item, attempt.number, clock.instant());
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot mark {} queued ({}); a restart may queue it again", attempt, e.getMessage());
        }
    }

    private void markDone(Attempt attempt) {
        try {
            store.posts().transportDone(attempt.listId, attempt.item, attempt.number, clock.instant());
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot mark {} finished ({}); a restart may deliver it again", attempt, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Enqueue {
        void run() throws MailQueue.MailQueueException;
    }

    private final class TransportQueue implements MailQueue {
        private final MailQueue queue;

        TransportQueue(MailQueue queue) {
            this.queue = queue;
        }

        @Override
        public MailQueueName getName() {
            return queue.getName();
        }

        @Override
        public void enQueue(Mail mail, Duration delay) throws MailQueueException {
            enqueueOnce(mail, () -> queue.enQueue(mail, delay));
        }

        @Override
        public void enQueue(Mail mail) throws MailQueueException {
            enqueueOnce(mail, () -> queue.enQueue(mail));
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            Optional<Attempt> attempt = Attempt.of(getName(), mail);
            if (attempt.isEmpty()) {
                return queue.enqueueReactive(mail);
            }
            return Mono.fromCallable(() -> step(attempt.get()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(step -> step == TransportStep.NONE
                    ? Mono.from(queue.enqueueReactive(mail)).then(Mono.fromRunnable(() -> markQueued(attempt.get())))
                    : Mono.fromRunnable(() -> LOGGER.info("{} is on queue {} already; not queued again", attempt.get(), getName())))
                .then();
        }

        private void enqueueOnce(Mail mail, Enqueue enqueue) throws MailQueueException {
            Optional<Attempt> attempt = Attempt.of(getName(), mail);
            if (attempt.isPresent() && step(attempt.get()) != TransportStep.NONE) {
                LOGGER.info("{} is on queue {} already; not queued again", attempt.get(), getName());
                return;
            }
            enqueue.run();
            attempt.ifPresent(ListBatchTransportQueues.this::markQueued);
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Flux.from(queue.deQueue()).handle(this::passUnlessFinished);
        }

        private void passUnlessFinished(MailQueueItem item, SynchronousSink<MailQueueItem> sink) {
            Optional<Attempt> attempt = Attempt.of(getName(), item.getMail());
            if (attempt.isEmpty()) {
                sink.next(item);
                return;
            }
            if (step(attempt.get()) != TransportStep.DONE) {
                if (step(attempt.get().next()) == TransportStep.NONE) {
                    sink.next(new MarkedItem(item, attempt.get()));
                    return;
                }
                // RemoteDelivery queued the next attempt and was killed before this one was marked finished: the next
                // attempt carries what is left to deliver, this one must not go out a second time
                LOGGER.info("{} was followed by its next attempt before the queue handed it over again; not delivered again",
                    attempt.get());
            } else {
                LOGGER.info("{} was finished before the queue handed it over again; not delivered again", attempt.get());
            }
            try {
                item.done(MailQueueItem.CompletionStatus.SUCCESS);
            } catch (MailQueueException e) {
                LOGGER.warn("Cannot acknowledge {} on queue {}: {}", attempt.get(), getName(), e.getMessage());
            } finally {
                LifecycleUtil.dispose(item.getMail());
            }
        }

        @Override
        public void close() {
            try {
                queue.close();
            } catch (IOException e) {
                LOGGER.warn("Closing queue {} failed: {}", getName(), e.getMessage());
            }
        }
    }

    /**
     * A queue item whose successful completion is marked in the list store before the queue is told. When delivery
     * reached every recipient (RemoteDelivery finished without recording a failure on the mail: it sets
     * {@code is-delivery-permanent-error} on every temporary or permanent failure before it queues the mail again or
     * bounces it), the recipients' domains are reported as delivered, which closes their block events.
     */
    private final class MarkedItem implements MailQueue.MailQueueItem {
        private final MailQueue.MailQueueItem item;
        private final Attempt attempt;

        MarkedItem(MailQueue.MailQueueItem item, Attempt attempt) {
            this.item = item;
            this.attempt = attempt;
            // a failure of an earlier attempt travels with the mail: forget it, this attempt records its own
            item.getMail().removeAttribute(DELIVERY_FAILED);
        }

        @Override
        public Mail getMail() {
            return item.getMail();
        }

        @Override
        public void done(CompletionStatus status) throws MailQueue.MailQueueException {
            if (status == CompletionStatus.SUCCESS) {
                markDone(attempt);
                if (item.getMail().getAttribute(DELIVERY_FAILED).isEmpty()) {
                    // a successful attempt leaves the recipients as they were handed over
                    store.delivered(attempt.listId, item.getMail().getRecipients());
                }
            }
            item.done(status);
        }
    }
}
