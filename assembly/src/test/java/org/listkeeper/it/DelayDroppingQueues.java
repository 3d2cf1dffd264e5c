package org.listkeeper.it;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;

/**
 * Queues that ignore enqueue delays, as James's RabbitMQ queue does ("Ignored delay upon enqueue"): a mail queued
 * with a delay is delivered at once. Counts the delays it dropped.
 */
final class DelayDroppingQueues implements MailQueueFactory<MailQueue> {
    static final AtomicInteger DROPPED = new AtomicInteger();

    private final MailQueueFactory<? extends MailQueue> queues;

    DelayDroppingQueues(MailQueueFactory<? extends MailQueue> queues) {
        this.queues = queues;
    }

    @Override
    public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return queues.getQueue(name, count).map(Dropping::new);
    }

    @Override
    public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return new Dropping(queues.createQueue(name, count));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return queues.listCreatedMailQueues();
    }

    private static final class Dropping implements MailQueue {
        private final MailQueue queue;

        Dropping(MailQueue queue) {
            this.queue = queue;
        }

        @Override
        public MailQueueName getName() {
            return queue.getName();
        }

        @Override
        public void enQueue(Mail mail, Duration delay) throws MailQueueException {
            if (!delay.isZero() && !delay.isNegative()) {
                DROPPED.incrementAndGet();
            }
            queue.enQueue(mail);
        }

        @Override
        public void enQueue(Mail mail) throws MailQueueException {
            queue.enQueue(mail);
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return queue.enqueueReactive(mail);
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return queue.deQueue();
        }

        @Override
        public void close() throws java.io.IOException {
            queue.close();
        }
    }
}
