package dev.relay.dns;

import static dev.relay.dns.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.config.HostPort;
import dev.relay.config.RelayConfig;
import dev.relay.dns.testkit.TestDnsServer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsResolverConfigTest {

    @Test
    void theConfiguredServersAreAsked() {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.mx("example.test", 10, "mx.example.test");
            DnsResolver resolver = DnsResolver.create(new RelayConfig.DnsConfig(List.of(dns.endpoint())));

            assertThat(resolver.servers()).containsExactly(dns.address());
            assertThat(result(resolver.lookupMx("example.test"))).isInstanceOf(MxResult.Hosts.class);
        }
    }

    @Test
    void aSecondServerAnswersWhenTheFirstIsSilent() {
        try (TestDnsServer silent = TestDnsServer.start(); TestDnsServer good = TestDnsServer.start()) {
            silent.drop("example.test");
            good.mx("example.test", 10, "mx.example.test");
            DnsResolver resolver = DnsResolver.builder()
                    .servers(List.of(silent.endpoint(), good.endpoint()))
                    .timeout(java.time.Duration.ofMillis(300))
                    .attempts(1)
                    .build();

            assertThat(result(resolver.lookupMx("example.test"))).isInstanceOf(MxResult.Hosts.class);
        }
    }

    @Test
    void ipv6ServersAreAccepted() {
        DnsResolver resolver = DnsResolver.builder().servers(List.of(new HostPort("::1", 5353))).build();

        assertThat(resolver.servers()).containsExactly(new InetSocketAddress(DnsResolver.addressLiteral("::1").orElseThrow(), 5353));
    }

    @Test
    void aServerNameIsRefusedBecauseDnsCannotFindDns() {
        assertThatThrownBy(() -> DnsResolver.builder().servers(List.of(new HostPort("dns.example.test", 53))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dns.example.test");
    }

    @Test
    void withoutServersTheSystemsAreUsed() {
        assertThat(DnsResolver.create(new RelayConfig.DnsConfig(List.of())).servers()).isNotEmpty();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> DnsResolver.builder().timeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsResolver.builder().attempts(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
