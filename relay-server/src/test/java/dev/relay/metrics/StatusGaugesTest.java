package dev.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** relay_ready and relay_tls_certificate_expiry_seconds follow what they are given, at each read. */
class StatusGaugesTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(MetricNames.Metric metric) {
        return registry.get(metric.meterName()).gauge().value();
    }

    @Test
    void readyFollowsTheRelaysFlag() {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC())) {
            assertThat(gauge(MetricNames.READY)).isZero();
            AtomicBoolean ready = new AtomicBoolean(true);
            metrics.readiness(ready::get);
            assertThat(gauge(MetricNames.READY)).isEqualTo(1.0);
            ready.set(false); // a stop began
            assertThat(gauge(MetricNames.READY)).isZero();
        }
    }

    @Test
    void certificateExpiryIsUnixTimeOrZero() {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC())) {
            assertThat(gauge(MetricNames.TLS_CERTIFICATE_EXPIRY)).isZero();
            metrics.serverCertificate(Optional.of(Instant.parse("2027-03-01T12:00:00Z")));
            assertThat(gauge(MetricNames.TLS_CERTIFICATE_EXPIRY)).isEqualTo(1_803_902_400.0);
            metrics.serverCertificate(Optional.empty());
            assertThat(gauge(MetricNames.TLS_CERTIFICATE_EXPIRY)).isZero();
        }
    }
}
