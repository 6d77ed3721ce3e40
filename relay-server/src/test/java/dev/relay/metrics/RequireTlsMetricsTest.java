package dev.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.DeliveryEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8689's meters: every outcome there from the start at zero, then counted by label. */
class RequireTlsMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void requireTlsAndTlsRequiredNoAreCountedByOutcomeFromZero() {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC())) {
            for (DeliveryEvents.RequireTls outcome : DeliveryEvents.RequireTls.values()) {
                assertThat(count("relay.requiretls.messages", outcome.label())).as(outcome.label()).isZero();
            }
            for (DeliveryEvents.TlsRequiredNo outcome : DeliveryEvents.TlsRequiredNo.values()) {
                assertThat(count("relay.tls.required.no", outcome.label())).as(outcome.label()).isZero();
            }

            metrics.deliveryEvents().requireTls(DeliveryEvents.RequireTls.REFUSED);
            metrics.deliveryEvents().requireTls(DeliveryEvents.RequireTls.DELIVERED);
            metrics.deliveryEvents().requireTls(DeliveryEvents.RequireTls.DELIVERED);
            metrics.deliveryEvents().tlsRequiredNo(DeliveryEvents.TlsRequiredNo.HONOURED);

            assertThat(count("relay.requiretls.messages", "delivered")).isEqualTo(2);
            assertThat(count("relay.requiretls.messages", "refused")).isEqualTo(1);
            assertThat(count("relay.requiretls.messages", "deferred")).isZero();
            assertThat(count("relay.tls.required.no", "honoured")).isEqualTo(1);
            assertThat(count("relay.tls.required.no", "refused")).isZero();
            // the status page's view of the same counters, in the outcomes' order
            assertThat(metrics.requireTlsSinceStart()).containsExactly(Map.entry("accepted", 0L),
                    Map.entry("delivered", 2L), Map.entry("deferred", 0L), Map.entry("refused", 1L), Map.entry("failed", 0L));
        }
    }

    private double count(String name, String outcome) {
        return registry.get(name).tags("outcome", outcome).counter().count();
    }
}
