package org.listkeeper.server;

import org.apache.activemq.store.PersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.EmbeddedActiveMQ;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.ManageableMailQueue;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;

/**
 * Durable spool and outgoing queues: an embedded ActiveMQ broker persisting to KahaDB under
 * {@code var/store/activemq}, replacing James's memory queues (which lose everything when the JVM dies).
 * James publishes no Guice module for it in 3.8.1, so this is ours.
 */
final class DurableQueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(PersistenceAdapter.class).to(KahaDBPersistenceAdapter.class);
        bind(KahaDBPersistenceAdapter.class).in(Scopes.SINGLETON);
        bind(EmbeddedActiveMQ.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
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
        ActiveMQMailQueueFactory factory = new ActiveMQMailQueueFactory(broker, decorators, metricFactory, gaugeRegistry,
            new ActiveMQMetricCollectorNoop());
        factory.setUseJMX(false);
        factory.init();
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableMailQueueFactory(ActiveMQMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> mailQueueFactory(ActiveMQMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueueFactoryGenerics(ActiveMQMailQueueFactory factory) {
        return factory;
    }
}
