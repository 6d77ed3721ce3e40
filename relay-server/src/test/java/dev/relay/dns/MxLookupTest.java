package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.testkit.TestDnsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MxLookupTest {

    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();
    private final DnsResolver resolver = resolver(new Random(42));

    private DnsResolver resolver(Random random) {
        return dns.resolverBuilder()
                .random(random)
                .build();
    }

    @Test
    void hostsAreSortedByPreference() {
        dns.mx("example.test", 20, "b.example.test")
                .mx("example.test", 10, "a.example.test")
                .mx("example.test", 30, "c.example.test");

        DnsResult<MxHost> result = result(resolver.lookupMx("example.test"));

        assertThat(result).isEqualTo(new DnsResult.Found<>(List.of(
                new MxHost("a.example.test", 10), new MxHost("b.example.test", 20), new MxHost("c.example.test", 30))));
    }

    @Test
    void equalPreferencesAreShuffledOnEveryLookupAndRepeatablyForOneSeed() {
        dns.mx("example.test", 10, "a.example.test")
                .mx("example.test", 10, "b.example.test")
                .mx("example.test", 10, "c.example.test")
                .mx("example.test", 10, "d.example.test")
                .mx("example.test", 5, "first.example.test")
                .mx("example.test", 20, "last.example.test");

        List<List<String>> orders = lookups(resolver, 40);
        List<List<String>> sameSeed = lookups(resolver(new Random(42)), 40);

        Set<List<String>> distinct = new HashSet<>(orders);
        assertThat(distinct).hasSizeGreaterThan(5);
        for (List<String> order : orders) {
            assertThat(order.getFirst()).isEqualTo("first.example.test");
            assertThat(order.getLast()).isEqualTo("last.example.test");
            assertThat(order.subList(1, 5)).containsExactlyInAnyOrder(
                    "a.example.test", "b.example.test", "c.example.test", "d.example.test");
        }
        assertThat(sameSeed).isEqualTo(orders);
        // each resolver asked once: the shuffle is redone on the cached answer
        assertThat(dns.queryCount("example.test", "MX")).isEqualTo(2);
    }

    private static List<List<String>> lookups(DnsResolver resolver, int count) {
        List<List<String>> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DnsResult.Found<MxHost> hosts = (DnsResult.Found<MxHost>) result(resolver.lookupMx("example.test"));
            orders.add(hosts.values().stream().map(MxHost::name).toList());
        }
        return orders;
    }

    @Test
    void namesComeBackInLowerCaseWithoutTheTrailingDot() {
        dns.add("Example.TEST. 300 IN MX 10 MX1.Example.Test.");

        assertThat(result(resolver.lookupMx("EXAMPLE.test.")))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxHost("mx1.example.test", 10))));
    }

    @Test
    void aLoneRootExchangeIsANullMx() {
        dns.nullMx("nomail.test");

        assertThat(result(resolver.lookupMx("nomail.test"))).isEqualTo(new DnsResult.NullMx());
    }

    @Test
    void aRootExchangeBesideRealOnesIsDropped() {
        dns.nullMx("confused.test").mx("confused.test", 10, "mx.confused.test");

        assertThat(result(resolver.lookupMx("confused.test")))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxHost("mx.confused.test", 10))));
    }

    @Test
    void aDomainWithoutMxButExistingIsTheImplicitMx() {
        dns.a("implicit.test", "127.0.0.1");

        assertThat(result(resolver.lookupMx("implicit.test"))).isEqualTo(new DnsResult.NoData<>());
    }

    @Test
    void servfailIsTemporaryAndNotCached() {
        dns.servfail("broken.test");

        DnsResult<MxHost> first = result(resolver.lookupMx("broken.test"));
        DnsResult<MxHost> second = result(resolver.lookupMx("broken.test"));

        assertThat(first).isInstanceOfSatisfying(DnsResult.TemporaryFailure.class,
                f -> assertThat(f.reason()).contains("SERVFAIL").contains("broken.test"));
        assertThat(second).isInstanceOf(DnsResult.TemporaryFailure.class);
        assertThat(dns.queryCount("broken.test", "MX")).isEqualTo(2);

        dns.answerNormally("broken.test").mx("broken.test", 10, "mx.broken.test");
        assertThat(result(resolver.lookupMx("broken.test"))).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void noAnswerIsATemporaryTimeout() {
        dns.drop("silent.test");

        long start = System.nanoTime();
        DnsResult<MxHost> result = result(resolver.lookupMx("silent.test"));

        assertThat(result).isInstanceOfSatisfying(DnsResult.TemporaryFailure.class,
                f -> assertThat(f.reason()).containsPattern("DNS server 127\\.0\\.0\\.1:[0-9]+ did not answer in time"));
        // a bound against hanging, not a performance assertion: the timeout is 300 ms
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void cnamesAreFollowed() {
        dns.cname("alias.test", "real.test").mx("real.test", 10, "mx.real.test");

        assertThat(result(resolver.lookupMx("alias.test")))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxHost("mx.real.test", 10))));
    }

    @Test
    void anAddressLiteralIsItsOwnDestinationAndNeverAsked() {
        assertThat(result(resolver.lookupMx("[192.0.2.1]"))).isEqualTo(new DnsResult.NoData<>());
        assertThat(result(resolver.lookupMx("[IPv6:2001:db8::1]"))).isEqualTo(new DnsResult.NoData<>());
        assertThat(result(resolver.lookupMx("192.0.2.1"))).isEqualTo(new DnsResult.NoData<>());

        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void aNameThatCannotExistIsNoSuchDomainWithoutAsking() {
        assertThat(result(resolver.lookupMx(""))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(result(resolver.lookupMx("a..b"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(result(resolver.lookupMx("x".repeat(64) + ".test"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(result(resolver.lookupMx("[not-an-ip]"))).isEqualTo(new DnsResult.NoSuchDomain<>());

        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void internationalNamesAreAskedAsALabels() {
        dns.mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test");

        assertThat(result(resolver.lookupMx("bücher.test")))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxHost("mx.xn--bcher-kva.test", 10))));
    }
}
