package org.listkeeper.server;

import java.time.Clock;

import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.listkeeper.james.ListBatchTransportQueues;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;

/**
 * What James takes its queues from, whichever broker holds them: an {@link ActiveMQMailQueueFactory} that a subclass
 * provides, seen by James's mailet container, SMTP server and RemoteDelivery through {@link ListBatchTransportQueues}
 * and {@link ResilientQueues}.
 */
abstract class QueueModule extends AbstractModule {
    /** Binds what both brokers share; called from {@link #configure()}. */
    protected void bindCommon() {
        // filled by the extension's injector when it opens the list store
        bind(ListBatchTransportQueues.StoreHandle.class).in(Scopes.SINGLETON);
        // told by an external broker's connections when it goes away and comes back; an embedded one never goes away
        bind(BrokerState.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableMailQueueFactory(ActiveMQMailQueueFactory factory) {
        return factory;
    }

    /**
     * What James's mailet container and RemoteDelivery take their queues from: the ActiveMQ queues, with each delivery
     * attempt of a list batch on a transport queue marked in the list store, so that a queue item the broker hands
     * over again after a crash is neither queued nor delivered twice ({@link ListBatchTransportQueues}); and a queue
     * whose broker is away for a while is read again once it is back ({@link ResilientQueues}).
     */
    @Provides
    @Singleton
    MailQueueFactory<?> mailQueueFactory(ActiveMQMailQueueFactory factory, ListBatchTransportQueues.StoreHandle store, Clock clock,
                                         BrokerState broker) {
        return new ListBatchTransportQueues(new ResilientQueues(factory, broker::reachable), store, clock);
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueueFactoryGenerics(ActiveMQMailQueueFactory factory) {
        return factory;
    }
}
