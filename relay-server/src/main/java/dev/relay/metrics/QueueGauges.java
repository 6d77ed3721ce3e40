package dev.relay.metrics;

import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code relay_queue_messages{state}} and {@code relay_queue_oldest_seconds} from the queue's
 * snapshot. A snapshot walks the whole index under the queue's lock, so one is taken per scrape
 * at most: the four gauges read the same cached snapshot while it is younger than
 * {@link #MAX_AGE}. Before a queue is watched, and after it closed, the last values stay.
 */
final class QueueGauges {
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0, Optional.empty(), 0);

    private final Clock clock;
    private final LongSupplier nanoTime;
    private volatile Optional<MessageQueue> queue = Optional.empty();
    private QueueSnapshot last = EMPTY;
    private long takenAt;
    private boolean taken;

    QueueGauges(MeterRegistry registry, Clock clock, LongSupplier nanoTime) {
        this.clock = clock;
        this.nanoTime = nanoTime;
        gauge(registry, "active", QueueSnapshot::active);
        gauge(registry, "deferred", QueueSnapshot::deferred);
        gauge(registry, "held", QueueSnapshot::held);
        Gauge.builder(MetricNames.QUEUE_OLDEST.meterName(), this, gauges -> gauges.oldestSeconds())
                .description(MetricNames.QUEUE_OLDEST.help())
                .baseUnit("seconds")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String state, ToDoubleFunction<QueueSnapshot> count) {
        Gauge.builder(MetricNames.QUEUE_MESSAGES.meterName(), this, gauges -> count.applyAsDouble(gauges.snapshot()))
                .description(MetricNames.QUEUE_MESSAGES.help())
                .tag(MetricNames.STATE, state)
                .register(registry);
    }

    void watch(MessageQueue queue) {
        this.queue = Optional.of(queue);
        synchronized (this) {
            taken = false;
        }
    }

    synchronized QueueSnapshot snapshot() {
        long now = nanoTime.getAsLong();
        if (taken && now - takenAt < MAX_AGE.toNanos()) {
            return last;
        }
        Optional<MessageQueue> watched = queue;
        if (watched.isPresent()) {
            try {
                last = watched.get().snapshot();
                takenAt = now;
                taken = true;
            } catch (IllegalStateException closed) {
                // the queue closed at shutdown: a last scrape gets the last values
            }
        }
        return last;
    }

    double oldestSeconds() {
        Optional<Instant> oldest = snapshot().oldestArrival();
        return oldest.map(arrival -> Math.max(0, Duration.between(arrival, clock.instant()).toMillis() / 1000.0))
                .orElse(0.0);
    }
}
