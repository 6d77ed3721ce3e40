package dev.relay.metrics;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.testkit.TestDnsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code relay_dns_lookups_total} from real questions to a DNS server on loopback. */
class DnsMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double lookups(String type, String result) {
        return registry.get("relay.dns.lookups").tags("type", type, "result", result).counter().count();
    }

    @Test
    void everyQuestionIsCountedByTypeAndResult() throws Exception {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC());
                TestDnsServer dns = TestDnsServer.start()) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1")
                    .servfail("broken.test").drop("silent.test");
            DnsResolver resolver = dns.resolverBuilder()
                    .events(metrics.dnsEvents()).build();

            result(resolver.lookupMx("dest.test"));
            result(resolver.lookupMx("dest.test"));
            result(resolver.lookupAddresses("mx.dest.test"));
            result(resolver.lookupMx("nowhere.test"));
            result(resolver.lookupMx("broken.test"));
            result(resolver.lookupTxt("silent.test"));

            assertThat(lookups("mx", "found")).as("the cached answer counts too").isEqualTo(2);
            assertThat(lookups("a", "found")).isEqualTo(1);
            assertThat(lookups("aaaa", "no_data")).isEqualTo(1);
            assertThat(lookups("mx", "nxdomain")).isEqualTo(1);
            assertThat(lookups("mx", "servfail")).isEqualTo(1);
            assertThat(lookups("txt", "timeout")).isEqualTo(1);
            assertThat(lookups("txt", "found")).isZero();
        }
    }

}
