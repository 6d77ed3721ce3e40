package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.queue.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CachingTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();
    private final DnsResolver resolver = builder().build();

    private DnsResolver.Builder builder() {
        return dns.resolverBuilder().clock(clock);
    }

    /**
     * Looks up, looks up again {@code stillCached} later (answered from the cache: the server saw
     * one query), then again {@code expired} after that (the entry is gone: a second query).
     */
    private void assertKeptUntil(Runnable lookup, String name, String type, Duration stillCached, Duration expired) {
        lookup.run();
        clock.advance(stillCached);
        lookup.run();
        assertThat(dns.queryCount(name, type)).as("queries while cached").isEqualTo(1);

        clock.advance(expired);
        lookup.run();
        assertThat(dns.queryCount(name, type)).as("queries once expired").isEqualTo(2);
    }

    @Test
    void anAnswerIsKeptForItsTtlAndAskedAgainAfter() {
        dns.defaultTtl(1).mx("example.test", 10, "mx.example.test");

        result(resolver.lookupMx("example.test"));
        assertKeptUntil(() -> result(resolver.lookupMx("example.test")), "example.test", "MX",
                Duration.ofMillis(900), Duration.ofMillis(200));
    }

    @Test
    void aChangedRecordIsSeenOnlyAfterTheTtl() {
        dns.defaultTtl(60).txt("_mta-sts.example.test", "v=STSv1; id=1");
        assertThat(result(resolver.lookupTxt("_mta-sts.example.test"))).isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=1")));

        dns.clear("_mta-sts.example.test", "TXT").txt("_mta-sts.example.test", "v=STSv1; id=2");
        clock.advance(Duration.ofSeconds(59));
        assertThat(result(resolver.lookupTxt("_mta-sts.example.test"))).isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=1")));

        clock.advance(Duration.ofSeconds(2));
        assertThat(result(resolver.lookupTxt("_mta-sts.example.test"))).isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=2")));
    }

    @Test
    void aCachedAnswerIsConvertedOnceUntilANewAnswerReplacesIt() {
        dns.defaultTtl(60).mx("example.test", 10, "a.example.test").mx("example.test", 20, "b.example.test")
                .txt("_mta-sts.example.test", "v=STSv1; id=1");

        DnsResult<MxHost> firstMx = result(resolver.lookupMx("example.test"));
        DnsResult<String> firstTxt = result(resolver.lookupTxt("_mta-sts.example.test"));
        // every message to the domain reads the cached answer: the same hosts, not a new list each time
        assertThat(result(resolver.lookupMx("example.test"))).isSameAs(firstMx);
        assertThat(result(resolver.lookupTxt("_mta-sts.example.test"))).isSameAs(firstTxt);

        dns.clear("example.test", "MX").mx("example.test", 5, "c.example.test");
        dns.clear("_mta-sts.example.test", "TXT").txt("_mta-sts.example.test", "v=STSv1; id=2");
        clock.advance(Duration.ofSeconds(61));
        assertThat(result(resolver.lookupMx("example.test")))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxHost("c.example.test", 5))));
        assertThat(result(resolver.lookupTxt("_mta-sts.example.test"))).isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=2")));
    }

    @Test
    void theChainIsCachedForItsShortestTtl() {
        dns.add("alias.test. 5 IN CNAME host.test.").add("host.test. 300 IN A 192.0.2.1");

        assertKeptUntil(() -> result(resolver.lookupAddresses("alias.test")), "alias.test", "A",
                Duration.ofSeconds(4), Duration.ofSeconds(2));
    }

    @Test
    void nxdomainIsCachedForTheSoaNegativeTtl() {
        dns.negativeTtl(30);

        assertThat(result(resolver.lookupMx("missing.test"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        dns.mx("missing.test", 10, "mx.missing.test"); // appears, but the negative answer still holds
        clock.advance(Duration.ofSeconds(29));
        assertThat(result(resolver.lookupMx("missing.test"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(dns.queryCount("missing.test", "MX")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(result(resolver.lookupMx("missing.test"))).isInstanceOf(DnsResult.Found.class);
        assertThat(dns.queryCount("missing.test", "MX")).isEqualTo(2);
    }

    @Test
    void noDataLivesForTheLesserOfSoaTtlAndMinimum() {
        dns.soa("zone.test", 300, 10).a("host.zone.test", "192.0.2.1");

        assertKeptUntil(() -> assertThat(result(resolver.lookupTxt("host.zone.test"))).isEqualTo(new DnsResult.NoData<>()),
                "host.zone.test", "TXT", Duration.ofSeconds(9), Duration.ofSeconds(2));
    }

    @Test
    void negativeAnswersAreKeptNoLongerThanTheCap() {
        dns.negativeTtl(86_400);
        DnsResolver capped = builder().maxNegativeTtl(Duration.ofMinutes(1)).build();

        result(capped.lookupTxt("missing.test"));
        clock.advance(Duration.ofSeconds(61));
        result(capped.lookupTxt("missing.test"));

        assertThat(dns.queryCount("missing.test", "TXT")).isEqualTo(2);
    }

    @Test
    void positiveAnswersAreKeptNoLongerThanTheCap() {
        dns.defaultTtl(604_800).a("long.test", "192.0.2.1");
        DnsResolver capped = builder().maxTtl(Duration.ofHours(1)).build();

        assertKeptUntil(() -> result(capped.lookupAddresses("long.test")), "long.test", "A",
                Duration.ofMinutes(59), Duration.ofMinutes(2));
    }

    @Test
    void timeoutsAreNotCached() {
        dns.drop("flaky.test", "MX");

        assertThat(result(resolver.lookupMx("flaky.test"))).isInstanceOf(DnsResult.TemporaryFailure.class);
        dns.answerNormally("flaky.test").mx("flaky.test", 10, "mx.flaky.test");
        assertThat(result(resolver.lookupMx("flaky.test"))).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void invalidateForgetsOneName() {
        dns.mx("a.test", 10, "mx.a.test").mx("b.test", 10, "mx.b.test");
        result(resolver.lookupMx("a.test"));
        result(resolver.lookupMx("b.test"));

        resolver.invalidate("A.test.");
        result(resolver.lookupMx("a.test"));
        result(resolver.lookupMx("b.test"));

        assertThat(dns.queryCount("a.test", "MX")).isEqualTo(2);
        assertThat(dns.queryCount("b.test", "MX")).isEqualTo(1);
    }

    @Test
    void aZeroTtlIsNotCached() {
        dns.defaultTtl(0).a("volatile.test", "192.0.2.1");

        result(resolver.lookupAddresses("volatile.test"));
        result(resolver.lookupAddresses("volatile.test"));

        assertThat(dns.queryCount("volatile.test", "A")).isEqualTo(2);
    }
}
