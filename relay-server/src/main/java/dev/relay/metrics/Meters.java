package dev.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Registers meters under their {@link MetricNames} entry, so name and help never drift apart. */
final class Meters {
    private Meters() {}

    /** @param tags label name, value, name, value, ... in the metric's label order */
    static Counter counter(MeterRegistry registry, MetricNames.Metric metric, String... tags) {
        return Counter.builder(metric.meterName()).description(metric.help()).tags(tags).register(registry);
    }

    /**
     * One gauge of {@code metric} per value of the label {@code label}, each reading its value's
     * count (0 when absent) from the map {@code counts} gives of {@code owner}, which the gauges
     * hold weakly as Micrometer's do.
     */
    static <T> void gaugePerLabel(MeterRegistry registry, MetricNames.Metric metric, String label, List<String> values,
            T owner, Function<T, Map<String, Long>> counts) {
        for (String value : values) {
            Gauge.builder(metric.meterName(), owner, o -> counts.apply(o).getOrDefault(value, 0L))
                    .description(metric.help())
                    .tag(label, value)
                    .register(registry);
        }
    }
}
