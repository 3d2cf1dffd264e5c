package org.listkeeper.james;

import java.util.EnumMap;
import java.util.Map;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.listkeeper.bounces.BounceClass;
import org.listkeeper.bounces.BounceMetrics;

/**
 * What bounce processing reads, as James metrics: per class {@code listkeeper_bounces_<class>_received},
 * {@code _scored} and {@code _not_scored}; {@code listkeeper_bounces_unrecognised} (named no member),
 * {@code listkeeper_bounces_unreadable} (could not be read at all) and {@code listkeeper_bounce_blocks_opened}. Per
 * list, {@code GET /lists/{list}/bounces} counts the same from the store.
 */
final class BounceCounters implements BounceMetrics {
    private static final String PREFIX = "listkeeper_bounces_";

    private final Map<BounceClass, Metric> received = new EnumMap<>(BounceClass.class);
    private final Map<BounceClass, Metric> scored = new EnumMap<>(BounceClass.class);
    private final Map<BounceClass, Metric> notScored = new EnumMap<>(BounceClass.class);
    private final Metric unrecognised;
    private final Metric unreadable;
    private final Metric blocksOpened;
    private final Runnable onBlockOpened;

    BounceCounters(MetricFactory metrics, Runnable onBlockOpened) {
        for (BounceClass bounceClass : BounceClass.values()) {
            received.put(bounceClass, metrics.generate(PREFIX + bounceClass.label() + "_received"));
            scored.put(bounceClass, metrics.generate(PREFIX + bounceClass.label() + "_scored"));
            notScored.put(bounceClass, metrics.generate(PREFIX + bounceClass.label() + "_not_scored"));
        }
        this.unrecognised = metrics.generate(PREFIX + "unrecognised");
        this.unreadable = metrics.generate(PREFIX + "unreadable");
        this.blocksOpened = metrics.generate("listkeeper_bounce_blocks_opened");
        this.onBlockOpened = onBlockOpened;
    }

    @Override
    public void received(BounceClass bounceClass, boolean wasScored) {
        received.get(bounceClass).increment();
        (wasScored ? scored : notScored).get(bounceClass).increment();
    }

    @Override
    public void unrecognised(boolean wasUnreadable) {
        unrecognised.increment();
        if (wasUnreadable) {
            unreadable.increment();
        }
    }

    @Override
    public void blockOpened() {
        blocksOpened.increment();
        onBlockOpened.run();
    }
}
