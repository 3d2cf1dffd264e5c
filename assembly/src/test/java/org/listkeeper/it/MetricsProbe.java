package org.listkeeper.it;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.GuiceProbe;

/** Lets a test read James's metrics. */
public final class MetricsProbe implements GuiceProbe {
    private final MetricFactory metrics;

    @Inject
    MetricsProbe(MetricFactory metrics) {
        this.metrics = metrics;
    }

    long count(String name) {
        return metrics.generate(name).getCount();
    }
}
