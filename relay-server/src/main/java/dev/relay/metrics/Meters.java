package dev.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Registers meters under their {@link MetricNames} entry, so name and help never drift apart. */
final class Meters {
    private Meters() {}

    /** @param tags label name, value, name, value, ... in the metric's label order */
    static Counter counter(MeterRegistry registry, MetricNames.Metric metric, String... tags) {
        return Counter.builder(metric.meterName()).description(metric.help()).tags(tags).register(registry);
    }
}
