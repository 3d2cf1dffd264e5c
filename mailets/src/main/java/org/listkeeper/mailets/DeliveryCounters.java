package org.listkeeper.mailets;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.listkeeper.delivery.DeliveryMetrics;
import org.listkeeper.delivery.RecipientOutcome;

/**
 * List delivery's counts as James metrics, in total and per destination: {@code listkeeper_delivery_connections_opened},
 * {@code _connections_reused}, {@code _transactions}, {@code _recipients_delivered}, {@code _recipients_deferred},
 * {@code _recipients_failed}; per destination the same names with {@code _to_<destination>} (dots and dashes as
 * underscores).
 */
final class DeliveryCounters implements DeliveryMetrics {
    private static final String PREFIX = "listkeeper_delivery_";
    private final MetricFactory metrics;
    private final Map<String, Metric> counters = new ConcurrentHashMap<>();

    DeliveryCounters(MetricFactory metrics) {
        this.metrics = metrics;
    }

    private void add(String name, String destination, int count) {
        counters.computeIfAbsent(PREFIX + name, metrics::generate).add(count);
        // keyed by the raw names: the metric's name is worked out once per destination, not once per recipient
        counters.computeIfAbsent(name + '\n' + destination, key -> metrics.generate(PREFIX + name + "_to_"
            + destination.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_"))).add(count);
    }

    @Override
    public void connectionOpened(String destination) {
        add("connections_opened", destination, 1);
    }

    @Override
    public void connectionReused(String destination) {
        add("connections_reused", destination, 1);
    }

    @Override
    public void transaction(String destination) {
        add("transactions", destination, 1);
    }

    @Override
    public void recipients(String destination, RecipientOutcome.Kind kind, int count) {
        add("recipients_" + kind.name().toLowerCase(Locale.ROOT), destination, count);
    }
}
