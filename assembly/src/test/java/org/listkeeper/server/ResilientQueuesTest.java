package org.listkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Queues read again after their broker was away, and refusing mail at once while it is known to be away. */
class ResilientQueuesTest {
    /** A queue whose first two reads fail, as James's JMS queue's endless read does when its broker is unreachable. */
    private static final class FlakyQueue implements MailQueue {
        final AtomicInteger reads = new AtomicInteger();
        final List<Mail> queued = new CopyOnWriteArrayList<>();

        @Override
        public MailQueueName getName() {
            return MailQueueName.of("spool");
        }

        @Override
        public void enQueue(Mail mail, Duration delay) {
            queued.add(mail);
        }

        @Override
        public void enQueue(Mail mail) {
            queued.add(mail);
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return Mono.fromRunnable(() -> queued.add(mail));
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Flux.defer(() -> reads.incrementAndGet() <= 2
                ? Flux.error(new MailQueueException("Unable to dequeue next message"))
                : Flux.just(item("Mail1"), item("Mail2")));
        }

        @Override
        public void close() {
        }
    }

    private static MailQueue.MailQueueItem item(String name) {
        return new MailQueue.MailQueueItem() {
            @Override
            public Mail getMail() {
                try {
                    return MailImpl.builder().name(name).build();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void done(CompletionStatus success) {
            }
        };
    }

    private static MailQueueFactory<MailQueue> factory(MailQueue queue) {
        return new MailQueueFactory<>() {
            @Override
            public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
                return Optional.of(queue);
            }

            @Override
            public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
                return queue;
            }

            @Override
            public Set<MailQueueName> listCreatedMailQueues() {
                return Set.of(queue.getName());
            }
        };
    }

    @Test
    void aReadThatFailsShouldBeTriedAgainRatherThanEndTheQueue() {
        FlakyQueue flaky = new FlakyQueue();
        MailQueue queue = new ResilientQueues(factory(flaky), () -> true).createQueue(MailQueueFactory.SPOOL);

        List<String> names = Flux.from(queue.deQueue()).take(2).map(item -> item.getMail().getName())
            .collectList().block(Duration.ofSeconds(30));

        assertThat(names).containsExactly("Mail1", "Mail2");
        assertThat(flaky.reads).hasValue(3);
    }

    @Test
    void whileTheBrokerIsAwayMailShouldBeRefusedAtOnce() throws Exception {
        FlakyQueue flaky = new FlakyQueue();
        AtomicBoolean reachable = new AtomicBoolean(false);
        MailQueue queue = new ResilientQueues(factory(flaky), reachable::get).createQueue(MailQueueFactory.SPOOL);
        Mail mail = MailImpl.builder().name("Mail3").build();

        assertThatThrownBy(() -> queue.enQueue(mail)).isInstanceOf(MailQueue.MailQueueException.class)
            .hasMessageContaining("the queue broker is unreachable");
        assertThatThrownBy(() -> Mono.from(queue.enqueueReactive(mail)).block()).hasMessageContaining("unreachable");
        assertThat(flaky.queued).isEmpty();

        reachable.set(true);
        queue.enQueue(mail);
        Mono.from(queue.enqueueReactive(mail)).block();
        assertThat(flaky.queued).hasSize(2);
    }

    @Test
    void theBrokerShouldBeUnreachableFromItsFirstInterruptionToTheLastResumption() {
        BrokerState state = new BrokerState();
        assertThat(state.reachable()).isTrue();
        // two connections lose the broker, then both find it again
        state.transportInterupted();
        state.transportInterupted();
        assertThat(state.reachable()).isFalse();
        state.transportResumed();
        assertThat(state.reachable()).isFalse();
        state.transportResumed();
        assertThat(state.reachable()).isTrue();
        state.transportResumed();
        assertThat(state.reachable()).isTrue();
    }
}
