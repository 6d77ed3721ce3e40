package dev.relay.metrics;

import dev.relay.delivery.DeliveryEvents;
import dev.relay.smtp.server.RejectReason;
import dev.relay.smtp.server.SmtpEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's events as meters. Called on Netty event loops: lookups in concurrent maps
 * and atomic increments only.
 */
final class SmtpMeters implements SmtpEvents {
    /** Size buckets: from a one-line notification to the largest limit people configure. */
    private static final double[] SIZE_BUCKETS = {1_024, 10_240, 102_400, 1_048_576, 10_485_760, 26_214_400,
        52_428_800, 104_857_600};

    private final MeterRegistry registry;
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final DistributionSummary size;
    /** {@code relay_requiretls_messages_total{outcome="accepted"}}, shared with the delivery meters. */
    private final Counter requireTlsAccepted;

    /** The meters of one listener. */
    private record Listener(AtomicInteger active, Counter sessions, Counter accepted) {}

    SmtpMeters(MeterRegistry registry, List<String> listenerNames) {
        this.registry = registry;
        listenerNames.forEach(this::listener);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Meters.counter(registry, MetricNames.MESSAGES_REJECTED,
                    MetricNames.REASON, reason.label()));
        }
        this.size = DistributionSummary.builder(MetricNames.MESSAGE_SIZE.meterName())
                .description(MetricNames.MESSAGE_SIZE.help())
                .baseUnit("bytes")
                .serviceLevelObjectives(SIZE_BUCKETS)
                .register(registry);
        this.requireTlsAccepted = Meters.counter(registry, MetricNames.REQUIRETLS_MESSAGES, MetricNames.OUTCOME,
                DeliveryEvents.RequireTls.ACCEPTED.label());
    }

    private Listener listener(String name) {
        return listeners.computeIfAbsent(name, n -> {
            AtomicInteger active = new AtomicInteger();
            Gauge.builder(MetricNames.SMTP_CONNECTIONS_ACTIVE.meterName(), active, AtomicInteger::get)
                    .description(MetricNames.SMTP_CONNECTIONS_ACTIVE.help())
                    .tag(MetricNames.LISTENER, n)
                    .register(registry);
            return new Listener(active,
                    Meters.counter(registry, MetricNames.SMTP_SESSIONS, MetricNames.LISTENER, n),
                    Meters.counter(registry, MetricNames.MESSAGES_ACCEPTED, MetricNames.LISTENER, n));
        });
    }

    @Override
    public void connectionOpened(String listener) {
        listener(listener).active().incrementAndGet();
    }

    @Override
    public void connectionClosed(String listener) {
        listener(listener).active().decrementAndGet();
    }

    @Override
    public void sessionStarted(String listener) {
        listener(listener).sessions().increment();
    }

    @Override
    public void messageAccepted(String listener, long sizeBytes) {
        listener(listener).accepted().increment();
        size.record((double) sizeBytes);
    }

    @Override
    public void messageRejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void requireTlsAccepted(String listener) {
        requireTlsAccepted.increment();
    }
}
