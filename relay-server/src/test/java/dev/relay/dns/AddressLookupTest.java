package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.testkit.TestDnsServer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AddressLookupTest {

    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();
    private final DnsResolver resolver = dns.resolverBuilder().build();

    private static List<String> texts(DnsResult<InetAddress> result) {
        assertThat(result).isInstanceOf(DnsResult.Found.class);
        return ((DnsResult.Found<InetAddress>) result).values().stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void bothFamiliesIpv4FirstByDefault() {
        dns.aaaa("mx.example.test", "2001:db8::25")
                .a("mx.example.test", "192.0.2.25")
                .a("mx.example.test", "192.0.2.26");

        DnsResult<InetAddress> result = result(resolver.lookupAddresses("mx.example.test"));

        assertThat(texts(result)).containsExactly("192.0.2.25", "192.0.2.26", "2001:db8:0:0:0:0:0:25");
        List<InetAddress> addresses = ((DnsResult.Found<InetAddress>) result).values();
        assertThat(addresses.get(0)).isInstanceOf(Inet4Address.class);
        assertThat(addresses.get(2)).isInstanceOf(Inet6Address.class);
        assertThat(dns.queryCount("mx.example.test", "A")).isEqualTo(1);
        assertThat(dns.queryCount("mx.example.test", "AAAA")).isEqualTo(1);
    }

    @Test
    void ipv6FirstWhenChosen() {
        dns.a("mx.example.test", "192.0.2.25").aaaa("mx.example.test", "2001:db8::25");
        DnsResolver v6first = dns.resolverBuilder().addressOrder(AddressOrder.IPV6_FIRST).build();

        assertThat(texts(result(v6first.lookupAddresses("mx.example.test"))))
                .containsExactly("2001:db8:0:0:0:0:0:25", "192.0.2.25");
    }

    @Test
    void addressesCarryTheNameLookedUpSoNothingReverseResolves() {
        dns.cname("alias.example.test", "mx.example.test").a("mx.example.test", "192.0.2.25");

        DnsResult<InetAddress> result = result(resolver.lookupAddresses("Alias.Example.Test."));

        InetAddress address = ((DnsResult.Found<InetAddress>) result).values().getFirst();
        assertThat(address.getHostName()).isEqualTo("alias.example.test");
        assertThat(address.toString()).isEqualTo("alias.example.test/192.0.2.25");
    }

    @Test
    void onlyIpv6() {
        dns.aaaa("v6.example.test", "::1");

        assertThat(texts(result(resolver.lookupAddresses("v6.example.test")))).containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void cnameChainChasedByTheServer() {
        dns.cname("one.test", "two.test").cname("two.test", "three.test").a("three.test", "192.0.2.3");

        assertThat(texts(result(resolver.lookupAddresses("one.test")))).containsExactly("192.0.2.3");
        assertThat(dns.queryCount("two.test", "A")).isZero();
    }

    @Test
    void cnameChainChasedByTheClientWhenTheServerDoesNot() {
        dns.chaseCnames(false).cname("one.test", "two.test").cname("two.test", "three.test").a("three.test", "192.0.2.3");

        assertThat(texts(result(resolver.lookupAddresses("one.test")))).containsExactly("192.0.2.3");
        assertThat(dns.queryCount("two.test", "A")).isEqualTo(1);
        assertThat(dns.queryCount("three.test", "A")).isEqualTo(1);
    }

    @Test
    void aNameWithOtherRecordsOnlyHasNoAddresses() {
        dns.mx("mailonly.test", 10, "mx.elsewhere.test");

        assertThat(result(resolver.lookupAddresses("mailonly.test"))).isEqualTo(new DnsResult.NoData<>());
    }

    @Test
    void anEmptyNonTerminalExistsAndHasNoAddresses() {
        dns.a("host.sub.example.test", "192.0.2.1");

        assertThat(result(resolver.lookupAddresses("sub.example.test"))).isEqualTo(new DnsResult.NoData<>());
    }

    @Test
    void oneFamilyFailingWithTheOtherEmptyIsTemporary() {
        dns.mx("half.test", 10, "x.test").drop("half.test", "AAAA");

        assertThat(result(resolver.lookupAddresses("half.test")))
                .isInstanceOfSatisfying(DnsResult.TemporaryFailure.class, f -> assertThat(f.reason()).contains("did not answer in time"));
    }

    @Test
    void addressesFromOneFamilyAreEnoughWhenTheOtherFails() {
        dns.a("half.test", "192.0.2.1").servfail("half.test", "AAAA");

        assertThat(texts(result(resolver.lookupAddresses("half.test")))).containsExactly("192.0.2.1");
    }

    @Test
    void addressLiteralsAreNeverLookedUp() {
        assertThat(texts(result(resolver.lookupAddresses("192.0.2.7")))).containsExactly("192.0.2.7");
        assertThat(texts(result(resolver.lookupAddresses("[192.0.2.8]")))).containsExactly("192.0.2.8");
        assertThat(texts(result(resolver.lookupAddresses("2001:db8::9")))).containsExactly("2001:db8:0:0:0:0:0:9");
        assertThat(texts(result(resolver.lookupAddresses("[IPv6:2001:db8::a]")))).containsExactly("2001:db8:0:0:0:0:0:a");

        InetAddress literal = ((DnsResult.Found<InetAddress>) result(resolver.lookupAddresses("192.0.2.7"))).values().getFirst();
        assertThat(literal.getHostName()).isEqualTo("192.0.2.7");
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void theStaticLiteralCheckNeverAsks() {
        assertThat(DnsResolver.addressLiteral("[IPv6:::1]")).isPresent();
        assertThat(DnsResolver.addressLiteral("256.1.1.1")).isEmpty();
        assertThat(DnsResolver.addressLiteral("example.test")).isEmpty();
        assertThat(DnsResolver.addressLiteral("1.2.3")).isEmpty();
    }
}
