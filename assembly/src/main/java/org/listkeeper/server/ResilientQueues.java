package org.listkeeper.server;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * Queues that are read again after their broker was away. James's JMS queue reads with one endless sequence per queue
 * ({@code Mono.defer(dequeueOne).repeat()}); the first read that fails (an external broker unreachable for longer than
 * the connection's send timeout) ends it, and James's spooler never subscribes again: the node would accept mail it
 * never processes. Here a failed read is logged and the queue read again, after 1 s doubling to 30 s, for as long as
 * the server runs. While the broker is known to be away, sending fails at once, so SMTP answers {@code 451} without waiting.
 */
final class ResilientQueues implements MailQueueFactory<MailQueue> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ResilientQueues.class);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final MailQueueFactory<? extends MailQueue> queues;
    private final java.util.function.BooleanSupplier reachable;

    /** {@code reachable} says whether the broker can take mail now: while it cannot, sends fail at once. */
    ResilientQueues(MailQueueFactory<? extends MailQueue> queues, java.util.function.BooleanSupplier reachable) {
        this.queues = queues;
        this.reachable = reachable;
    }

    @Override
    public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return queues.getQueue(name, count).map(queue -> new Resilient(queue, reachable));
    }

    @Override
    public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return new Resilient(queues.createQueue(name, count), reachable);
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return queues.listCreatedMailQueues();
    }

    private static final class Resilient implements MailQueue {
        private final MailQueue queue;
        private final java.util.function.BooleanSupplier reachable;

        Resilient(MailQueue queue, java.util.function.BooleanSupplier reachable) {
            this.queue = queue;
            this.reachable = reachable;
        }

        private void checkReachable() throws MailQueueException {
            if (!reachable.getAsBoolean()) {
                throw unreachable();
            }
        }

        private MailQueueException unreachable() {
            return new MailQueueException("Cannot queue mail on " + getName().asString() + ": the queue broker is unreachable");
        }

        @Override
        public MailQueueName getName() {
            return queue.getName();
        }

        @Override
        public void enQueue(Mail mail, Duration delay) throws MailQueueException {
            checkReachable();
            queue.enQueue(mail, delay);
        }

        @Override
        public void enQueue(Mail mail) throws MailQueueException {
            checkReachable();
            queue.enQueue(mail);
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return reachable.getAsBoolean() ? queue.enqueueReactive(mail) : reactor.core.publisher.Mono.error(unreachable());
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Flux.defer(queue::deQueue)
                .doOnError(e -> LOGGER.warn("Cannot read queue {}: {}; reading it again shortly", getName().asString(), rootMessage(e)))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_WAIT).maxBackoff(LONGEST_WAIT).jitter(0.2).transientErrors(true));
        }

        @Override
        public void close() throws java.io.IOException {
            queue.close();
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }
}
