package dev.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The MTA-STS meters through the methods the MTA-STS code calls. Policy fetching and
 * enforcement are not wired to them yet: these tests drive the methods, not the behaviour.
 */
class MtaStsMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void fetchesAndEnforcementFailuresAreCountedByLabel() {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC())) {
            metrics.mtaStsEvents().policyFetched("ok");
            metrics.mtaStsEvents().policyFetched("ok");
            metrics.mtaStsEvents().policyFetched("redirect");
            metrics.enforcementFailure("mx-mismatch");
            metrics.enforcementFailure("certificate-expired");
            metrics.mtaStsEvents().policyFetched("something-new"); // not known in advance: its series appears when first seen

            assertThat(count("relay.mtasts.policy.fetches", "result", "ok")).isEqualTo(2);
            assertThat(count("relay.mtasts.policy.fetches", "result", "redirect")).isEqualTo(1);
            assertThat(count("relay.mtasts.policy.fetches", "result", "timeout")).isZero();
            assertThat(count("relay.mtasts.policy.fetches", "result", "something-new")).isEqualTo(1);
            assertThat(count("relay.mtasts.enforcement.failures", "reason", "mx-mismatch")).isEqualTo(1);
            assertThat(count("relay.mtasts.enforcement.failures", "reason", "certificate-expired")).isEqualTo(1);
            assertThat(count("relay.mtasts.enforcement.failures", "reason", "sts-policy-unavailable")).isZero();
        }
    }

    @Test
    void cachedPoliciesAreReadFromTheSupplierAtEachScrape() {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC())) {
            assertThat(cached("enforce")).isZero();
            Map<String, Long> byMode = new ConcurrentHashMap<>(Map.of("enforce", 3L, "testing", 1L));
            metrics.policiesCached(() -> Map.copyOf(byMode));

            assertThat(cached("enforce")).isEqualTo(3);
            assertThat(cached("testing")).isEqualTo(1);
            assertThat(cached("none")).isZero();
            byMode.put("none", 2L);
            byMode.remove("testing");
            assertThat(cached("none")).isEqualTo(2);
            assertThat(cached("testing")).isZero();
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double cached(String mode) {
        return registry.get("relay.mtasts.policies.cached").tag("mode", mode).gauge().value();
    }
}
