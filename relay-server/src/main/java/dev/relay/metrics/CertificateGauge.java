package dev.relay.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code relay_tls_certificate_expiry_seconds}: when the relay's own certificate
 * ({@code tls.certificate}, the one its listeners present) stops being valid, as Unix time, so
 * an alert can compare it with {@code time()}. 0 while the relay has no certificate. Whoever
 * loads a certificate (at start, or a renewal) reports it here.
 */
final class CertificateGauge {
    private volatile Optional<Instant> notAfter = Optional.empty();

    CertificateGauge(MeterRegistry registry) {
        Gauge.builder(MetricNames.TLS_CERTIFICATE_EXPIRY.meterName(), this, CertificateGauge::value)
                .description(MetricNames.TLS_CERTIFICATE_EXPIRY.help())
                .baseUnit("seconds")
                .register(registry);
    }

    void set(Optional<Instant> notAfter) {
        this.notAfter = notAfter;
    }

    private double value() {
        return notAfter.map(Instant::getEpochSecond).orElse(0L);
    }
}
