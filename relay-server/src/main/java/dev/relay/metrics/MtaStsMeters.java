package dev.relay.metrics;

import dev.relay.mtasts.MtaStsEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The MTA-STS meters: fetches by result, enforcement failures by reason, cached policies by mode. */
final class MtaStsMeters implements MtaStsEvents {
    private final MeterRegistry registry;
    private final Map<String, Counter> fetches = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> testingFailures = new ConcurrentHashMap<>();
    private final Counter refreshFailures;
    private final Counter unknownDeferred;
    private final Counter stalePolicies;
    private final Counter unknownDelivered;
    private volatile Supplier<Map<String, Long>> cached = Map::of;

    MtaStsMeters(MeterRegistry registry) {
        this.registry = registry;
        MetricNames.FETCH_RESULTS.forEach(this::fetchCounter);
        MetricNames.ENFORCEMENT_REASONS.forEach(this::failureCounter);
        MetricNames.ENFORCEMENT_REASONS.forEach(this::testingCounter);
        refreshFailures = Counter.builder(MetricNames.MTASTS_REFRESH_FAILURES.meterName())
                .description(MetricNames.MTASTS_REFRESH_FAILURES.help()).register(registry);
        stalePolicies = Counter.builder(MetricNames.MTASTS_STALE_POLICIES.meterName())
                .description(MetricNames.MTASTS_STALE_POLICIES.help()).register(registry);
        unknownDeferred = Meters.counter(registry, MetricNames.MTASTS_POLICY_UNKNOWN, MetricNames.ACTION, "deferred");
        unknownDelivered = Meters.counter(registry, MetricNames.MTASTS_POLICY_UNKNOWN, MetricNames.ACTION,
                "delivered_without_policy");
        Meters.gaugePerLabel(registry, MetricNames.MTASTS_POLICIES_CACHED, MetricNames.MODE, MetricNames.POLICY_MODES,
                this, meters -> meters.cached.get());
    }

    private Counter fetchCounter(String result) {
        return fetches.computeIfAbsent(result,
                r -> Meters.counter(registry, MetricNames.MTASTS_POLICY_FETCHES, MetricNames.RESULT, r));
    }

    private Counter failureCounter(String reason) {
        return failures.computeIfAbsent(reason,
                r -> Meters.counter(registry, MetricNames.MTASTS_ENFORCEMENT_FAILURES, MetricNames.REASON, r));
    }

    private Counter testingCounter(String reason) {
        return testingFailures.computeIfAbsent(reason,
                r -> Meters.counter(registry, MetricNames.MTASTS_TESTING_FAILURES, MetricNames.REASON, r));
    }

    void testingFailure(String reason) {
        testingCounter(reason).increment();
    }

    @Override
    public void refreshFailed(String domain, String reason) {
        refreshFailures.increment();
    }

    @Override
    public void stalePolicy(String domain, String id) {
        stalePolicies.increment();
    }

    @Override
    public void policyFetched(String result) {
        fetchCounter(result).increment();
    }

    /** An attempt whose domain's policy is unknown: deferred, or (after the wait) delivered without one. */
    void policyUnknown(boolean deferred) {
        (deferred ? unknownDeferred : unknownDelivered).increment();
    }

    void enforcementFailure(String reason) {
        failureCounter(reason).increment();
    }

    void cached(Supplier<Map<String, Long>> byMode) {
        this.cached = Objects.requireNonNull(byMode, "byMode");
    }
}
