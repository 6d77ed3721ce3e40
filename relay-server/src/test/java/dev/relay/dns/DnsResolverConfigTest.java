package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.settings.HostPort;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsResolverConfigTest {

    @Test
    void theConfiguredServersAreAsked() {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.mx("example.test", 10, "mx.example.test");
            DnsResolver resolver = DnsResolver.create(new DnsSettings(List.of(dns.endpoint())));

            assertThat(resolver.servers()).containsExactly(dns.address());
            assertThat(result(resolver.lookupMx("example.test"))).isInstanceOf(DnsResult.Found.class);
        }
    }

    @Test
    void aServerWithNothingOnItsPortIsNamedInWordsNotAsAJavaException() throws Exception {
        int closed;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort(); // nothing listens here once it is closed
        }
        DnsResolver resolver = DnsResolver.builder()
                .servers(List.of(new HostPort("127.0.0.1", closed)))
                .timeout(java.time.Duration.ofMillis(500))
                .attempts(1)
                .build();

        assertThat(result(resolver.lookupMx("example.test"))).isInstanceOfSatisfying(DnsResult.TemporaryFailure.class,
                f -> assertThat(f.reason()).contains("DNS server 127.0.0.1:" + closed + " did not answer")
                        .doesNotContain("Exception"));
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

            assertThat(result(resolver.lookupMx("example.test"))).isInstanceOf(DnsResult.Found.class);
        }
    }

    @Test
    void aServfailFromTheFirstServerIsAskedOfTheNext() {
        try (TestDnsServer failing = TestDnsServer.start(); TestDnsServer good = TestDnsServer.start()) {
            failing.servfail("example.test");
            good.mx("example.test", 10, "mx.example.test");
            DnsResolver resolver = twoServers(failing, good);

            assertThat(result(resolver.lookupMx("example.test"))).isEqualTo(
                    new DnsResult.Found<>(List.of(new MxHost("mx.example.test", 10))));
            assertThat(failing.queryCount("example.test", "MX")).isEqualTo(1);
            assertThat(good.queryCount("example.test", "MX")).isEqualTo(1);
        }
    }

    @Test
    void aRefusalFromTheFirstServerIsAskedOfTheNext() {
        try (TestDnsServer refusing = TestDnsServer.start(); TestDnsServer good = TestDnsServer.start()) {
            refusing.refused("_mta-sts.example.test");
            good.txt("_mta-sts.example.test", "v=STSv1; id=1");

            assertThat(result(twoServers(refusing, good).lookupTxt("_mta-sts.example.test")))
                    .isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=1")));
            assertThat(refusing.queryCount("_mta-sts.example.test", "TXT")).isEqualTo(1);
        }
    }

    @Test
    void whenEveryServerFailsTheLookupIsATemporaryFailureCountedOnce() {
        try (TestDnsServer first = TestDnsServer.start(); TestDnsServer second = TestDnsServer.start()) {
            first.servfail("example.test");
            second.refused("example.test");
            List<ResultKind> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
            DnsResolver resolver = DnsResolver.builder().servers(List.of(first.endpoint(), second.endpoint()))
                    .events((type, kind) -> counted.add(kind)).build();

            assertThat(result(resolver.lookupMx("example.test"))).isInstanceOfSatisfying(DnsResult.TemporaryFailure.class,
                    f -> assertThat(f.reason()).contains("REFUSED").contains("example.test"));
            assertThat(first.queryCount("example.test", "MX")).isEqualTo(1);
            assertThat(second.queryCount("example.test", "MX")).isEqualTo(1);
            assertThat(counted).containsExactly(ResultKind.REFUSED);
        }
    }

    @Test
    void aNameErrorFromTheFirstServerIsFinal() {
        try (TestDnsServer first = TestDnsServer.start(); TestDnsServer second = TestDnsServer.start()) {
            second.mx("example.test", 10, "mx.example.test");

            assertThat(result(twoServers(first, second).lookupMx("example.test"))).isInstanceOf(DnsResult.NoSuchDomain.class);
            assertThat(second.queryCount()).as("NXDOMAIN is an answer, not a failure").isZero();
        }
    }

    @Test
    void aCnameChasedAfterAFailoverStartsAgainAtTheFirstServer() {
        try (TestDnsServer first = TestDnsServer.start(); TestDnsServer second = TestDnsServer.start()) {
            first.chaseCnames(false).servfail("alias.test").a("target.test", "192.0.2.7");
            second.chaseCnames(false).add("alias.test. 300 IN CNAME target.test.");

            assertThat(result(twoServers(first, second).lookupAddresses("alias.test")))
                    .isInstanceOfSatisfying(DnsResult.Found.class,
                            a -> assertThat(a.values()).extracting(v -> ((java.net.InetAddress) v).getHostAddress())
                                    .containsExactly("192.0.2.7"));
            assertThat(first.queryCount("target.test", "A")).isEqualTo(1);
            assertThat(second.queryCount("target.test", "A")).isZero();
        }
    }

    private static DnsResolver twoServers(TestDnsServer first, TestDnsServer second) {
        return DnsResolver.builder().servers(List.of(first.endpoint(), second.endpoint()))
                .timeout(java.time.Duration.ofSeconds(2)).attempts(1).build();
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
        assertThat(DnsResolver.create(new DnsSettings(List.of())).servers()).isNotEmpty();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> DnsResolver.builder().timeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsResolver.builder().attempts(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
