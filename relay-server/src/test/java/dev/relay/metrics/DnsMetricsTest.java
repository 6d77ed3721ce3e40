package dev.relay.metrics;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.TrustAnchors;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
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

    @Test
    void dnssecAwareLookupsAreCountedByStatus() throws Exception {
        try (RelayMetrics metrics = RelayMetrics.on(registry, List.of(), Clock.systemUTC());
                TestDnsServer dns = TestDnsServer.start()) {
            SignedZone zone = SignedZone.builder("signed.test").add("signed.test. MX 10 mx.signed.test.").build();
            dns.add(zone.recordArray()).mx("plain.test", 10, "mx.plain.test").servfail("broken.signed.test");
            DnsResolver resolver = DnsResolver.builder().servers(List.of(dns.endpoint()))
                    .timeout(Duration.ofMillis(300)).attempts(1)
                    .trustAnchors(new TrustAnchors(zone.dsAnchor(), "test"))
                    .events(metrics.dnsEvents()).build();

            result(resolver.lookupMxValidated("signed.test"));
            result(resolver.lookupMxValidated("signed.test"));
            result(resolver.lookupMxValidated("plain.test"));
            result(resolver.lookupMxValidated("broken.signed.test"));
            dns.clear("signed.test", "MX").add("signed.test. 300 IN MX 20 forged.signed.test.");
            resolver.invalidateAll();
            result(resolver.lookupMxValidated("signed.test"));

            assertThat(dnssec("secure")).as("the cached answer counts too").isEqualTo(2);
            assertThat(dnssec("insecure")).isEqualTo(1);
            assertThat(dnssec("error")).isEqualTo(1);
            assertThat(dnssec("bogus")).isEqualTo(1);
            assertThat(lookups("mx", "bogus")).isEqualTo(1);
        }
    }

    private double dnssec(String status) {
        return registry.get("relay.dnssec.answers").tags("status", status).counter().count();
    }
}
