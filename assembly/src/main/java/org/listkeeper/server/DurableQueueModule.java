package org.listkeeper.server;

import org.apache.activemq.broker.BrokerRegistry;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.PersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.EmbeddedActiveMQ;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;

/**
 * Durable spool and outgoing queues: an embedded ActiveMQ broker persisting to KahaDB under
 * {@code var/store/activemq}, replacing James's memory queues (which lose everything when the JVM dies).
 * James publishes no Guice module for it in 3.8.1, so this is ours. Cluster mode uses {@link BrokerQueueModule}
 * instead; both hand James the same queues ({@link QueueModule}).
 */
final class DurableQueueModule extends QueueModule {
    /** The name James's {@link EmbeddedActiveMQ} gives its broker. */
    private static final String BROKER_NAME = "james";
    private static final long MIN_BROKER_MEMORY = 16L * 1024 * 1024;

    @Override
    protected void configure() {
        bind(PersistenceAdapter.class).to(KahaDBPersistenceAdapter.class);
        bind(KahaDBPersistenceAdapter.class).in(Scopes.SINGLETON);
        bind(EmbeddedActiveMQ.class).in(Scopes.SINGLETON);
        bindCommon();
    }

    @Provides
    @Singleton
    javax.jms.ConnectionFactory connectionFactory(EmbeddedActiveMQ broker) {
        return broker.getConnectionFactory();
    }

    @Provides
    @Singleton
    ActiveMQMailQueueFactory activeMQMailQueueFactory(EmbeddedActiveMQ broker, MailQueueItemDecoratorFactory decorators,
                                                      MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        limitBrokerMemory();
        ActiveMQMailQueueFactory factory = new ActiveMQMailQueueFactory(broker, decorators, metricFactory, gaugeRegistry,
            new ActiveMQMetricCollectorNoop());
        factory.setUseJMX(false);
        factory.init();
        return factory;
    }

    /**
     * ActiveMQ caches queued messages in the heap up to its memory limit, which it sets to 70 % of the JVM's when
     * left alone; James's embedded broker leaves it alone. A personalized list makes one queue item per member, so a
     * backlog of tens of thousands of items filled a 512 MiB heap and the server died of OutOfMemoryError. With a
     * smaller limit, the store cursor keeps the rest in KahaDB only and reads it back when the queue drains.
     */
    static void limitBrokerMemory() {
        BrokerService broker = BrokerRegistry.getInstance().lookup(BROKER_NAME);
        if (broker == null) {
            throw new IllegalStateException("The embedded ActiveMQ broker '" + BROKER_NAME + "' is not running");
        }
        long limit = Math.max(MIN_BROKER_MEMORY, Runtime.getRuntime().maxMemory() / 8);
        broker.getSystemUsage().getMemoryUsage().setLimit(limit);
    }
}
