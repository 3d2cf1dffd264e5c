package org.listkeeper.server;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;

import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Cluster mode's queues: James's ActiveMQ mail queues on an external ActiveMQ 5.x broker that every node shares.
 * Each node reads with prefetch 0, so no node holds mail another could be working on; a mail's body travels inside its
 * JMS message (no blob files on the node that queued it); a queued mail's delay is a message property every node's
 * selector honours, so retry backoff holds whichever node reads it again.
 */
final class BrokerQueueModule extends QueueModule {
    private static final int SEND_TIMEOUT_MILLIS = 10_000;
    private final String brokerUrl;

    /** {@code brokerUrl} as {@link #connectionUrl(String)} makes it. */
    BrokerQueueModule(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    /**
     * The URL the nodes connect with. James opens one connection per queue and never opens another, so the connection
     * must survive the broker going away: a plain {@code tcp://} address is put inside {@code failover:(…)}, which
     * reconnects for ever. A send waits at most {@code timeout} (5 s unless the URL says otherwise) for the broker to
     * come back and then fails, so SMTP answers {@code 451} instead of hanging.
     */
    static String connectionUrl(String broker) {
        String url = broker.startsWith("failover:") ? broker : "failover:(" + broker + ")";
        if (!url.matches(".*[?&]timeout=.*")) {
            url += (url.contains("?") ? "&" : "?") + "timeout=5000";
        }
        return url;
    }

    @Override
    protected void configure() {
        bindCommon();
    }

    @Provides
    @Singleton
    javax.jms.ConnectionFactory connectionFactory(BrokerState state) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setTransportListener(state);
        // no node hoards mail: each receive pulls one message when it is ready for it
        factory.getPrefetchPolicy().setAll(0);
        factory.setWatchTopicAdvisories(false);
        // a send under way when the broker went away would wait for its reconnection, however long: SMTP answers 451
        // after this instead (the sender tries again; a copy the broker took after all is the same Message-ID)
        factory.setSendTimeout(SEND_TIMEOUT_MILLIS);
        return factory;
    }

    @Provides
    @Singleton
    ActiveMQMailQueueFactory activeMQMailQueueFactory(javax.jms.ConnectionFactory connections, MailQueueItemDecoratorFactory decorators,
                                                      MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        ActiveMQMailQueueFactory factory = new ActiveMQMailQueueFactory(connections, decorators, metricFactory, gaugeRegistry,
            new ActiveMQMetricCollectorNoop());
        factory.setUseJMX(false);
        factory.setUseBlobMessages(false);
        factory.init();
        return factory;
    }
}
