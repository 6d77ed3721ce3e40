package dev.relay.metrics;

import dev.relay.delivery.DeliveryEvents;
import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery's events as meters: attempts, final outcomes with their delay, outbound TLS sessions,
 * the MTA-STS policy failures delivery meets, the DANE checks of MX hosts, and RFC 8689's
 * REQUIRETLS and TLS-Required: No.
 */
final class DeliveryMeters implements DeliveryEvents {
    /** Delay buckets: from a prompt delivery to the default five-day queue lifetime. */
    private static final Duration[] DELAY_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
        Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofDays(1),
        Duration.ofDays(2), Duration.ofDays(5)};

    private final MeterRegistry registry;
    /** By MTA-STS mode, then result, then TLS; modes other than the known ones are added when seen. */
    private final Map<String, Map<Result, Map<Tls, Counter>>> attempts = new ConcurrentHashMap<>();
    private final Map<Outcome, Counter> deliveries = new EnumMap<>(Outcome.class);
    private final Timer delay;
    /** By protocol, then [verified ? 1 : 0]. */
    private final Map<String, Counter[]> tlsSessions = new ConcurrentHashMap<>();
    private final Map<RequireTls, Counter> requireTls = new EnumMap<>(RequireTls.class);
    private final Map<TlsRequiredNo, Counter> tlsRequiredNo = new EnumMap<>(TlsRequiredNo.class);

    private final MtaStsMeters mtaSts;
    /** By result: {@code success} or a cause label. */
    private final Map<String, Counter> daneVerifications = new ConcurrentHashMap<>();

    DeliveryMeters(MeterRegistry registry, MtaStsMeters mtaSts) {
        this.registry = registry;
        this.mtaSts = mtaSts;
        MetricNames.POLICY_MODES.forEach(this::attemptCounters);
        for (Outcome outcome : Outcome.values()) {
            deliveries.put(outcome, Meters.counter(registry, MetricNames.DELIVERIES, MetricNames.OUTCOME, outcome.label()));
        }
        this.delay = Timer.builder(MetricNames.DELIVERY_DELAY.meterName())
                .description(MetricNames.DELIVERY_DELAY.help())
                .serviceLevelObjectives(DELAY_BUCKETS)
                .register(registry);
        MetricNames.TLS_VERSIONS.forEach(this::tlsCounters);
        MetricNames.DANE_RESULTS.forEach(this::daneCounter);
        for (RequireTls outcome : RequireTls.values()) {
            requireTls.put(outcome, Meters.counter(registry, MetricNames.REQUIRETLS_MESSAGES, MetricNames.OUTCOME,
                    outcome.label()));
        }
        for (TlsRequiredNo outcome : TlsRequiredNo.values()) {
            tlsRequiredNo.put(outcome, Meters.counter(registry, MetricNames.TLS_REQUIRED_NO, MetricNames.OUTCOME,
                    outcome.label()));
        }
    }

    private Map<Result, Map<Tls, Counter>> attemptCounters(String mode) {
        return attempts.computeIfAbsent(mode, m -> {
            Map<Result, Map<Tls, Counter>> byResult = new EnumMap<>(Result.class);
            for (Result result : Result.values()) {
                Map<Tls, Counter> byTls = new EnumMap<>(Tls.class);
                for (Tls tls : Tls.values()) {
                    byTls.put(tls, Meters.counter(registry, MetricNames.DELIVERY_ATTEMPTS,
                            MetricNames.RESULT, result.label(), MetricNames.TLS, tls.label(), MetricNames.MTA_STS_MODE, m));
                }
                byResult.put(result, byTls);
            }
            return byResult;
        });
    }

    private Counter[] tlsCounters(String protocol) {
        return tlsSessions.computeIfAbsent(protocol, p -> new Counter[] {
            Meters.counter(registry, MetricNames.TLS_OUTBOUND, MetricNames.VERSION, p, MetricNames.VERIFIED, "false"),
            Meters.counter(registry, MetricNames.TLS_OUTBOUND, MetricNames.VERSION, p, MetricNames.VERIFIED, "true")});
    }

    @Override
    public void policyFailed(PolicyFailure failure) {
        if (failure.cause() == Cause.STS_POLICY_UNAVAILABLE) {
            mtaSts.policyUnknown(failure.enforced());
        }
        if (failure.cause() == Cause.STS_POLICY_UNAVAILABLE && !failure.enforced()) {
            return; // delivered as without a policy: no policy, so no testing failure either
        }
        if (failure.enforced()) {
            mtaSts.enforcementFailure(failure.resultType());
        } else {
            mtaSts.testingFailure(failure.resultType());
        }
    }

    @Override
    public void attempted(Result result, Tls tls, String mtaStsMode) {
        attemptCounters(mtaStsMode).get(result).get(tls).increment();
    }

    @Override
    public void finished(Outcome outcome, Duration sinceAccepted) {
        deliveries.get(outcome).increment();
        delay.record(sinceAccepted.isNegative() ? Duration.ZERO : sinceAccepted);
    }

    @Override
    public void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {
        daneCounter(failure.map(p -> p.cause().label()).orElse("success")).increment();
    }

    private Counter daneCounter(String result) {
        return daneVerifications.computeIfAbsent(result,
                r -> Meters.counter(registry, MetricNames.DANE_VERIFICATIONS, MetricNames.RESULT, r));
    }

    @Override
    public void tlsSession(String protocol, boolean verified) {
        tlsCounters(protocol)[verified ? 1 : 0].increment();
    }

    @Override
    public void requireTls(RequireTls outcome) {
        requireTls.get(outcome).increment();
    }

    @Override
    public void tlsRequiredNo(TlsRequiredNo outcome) {
        tlsRequiredNo.get(outcome).increment();
    }
}
