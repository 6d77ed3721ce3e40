package dev.relay.mtasts;

import static dev.relay.mtasts.StsWorld.policy;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.relay.dns.DnsResolver;
import dev.relay.mtasts.testkit.TestPolicyServer.Response;
import dev.relay.mtasts.testkit.TestPolicyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MtaStsPoliciesTest extends PoliciesTestBase {

    private static final String ENFORCE = policy("enforce", 86400, "mx1.example.test", "*.mx.example.test");

    /**
     * The ENFORCE policy of example.test fetched and cached under id 1, then the TXT record
     * changed to announce id 2; the policy host still serves ENFORCE.
     */
    private TestPolicyServer.PolicyHost cachedThenNewId() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        world.txt("example.test", "2");
        return host;
    }

    @Test
    void aPublishedPolicyIsFetchedAndApplies() {
        world.publish("example.test", "20260301", ENFORCE);
        Instant now = world.clock.instant();

        DomainPolicy.Active lookup = active(lookup("Example.Test."));

        assertThat(lookup.domain()).isEqualTo("example.test");
        assertThat(lookup.id()).isEqualTo("20260301");
        assertThat(lookup.policy().mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(lookup.policy().matchesMx("a.mx.example.test")).isTrue();
        assertThat(lookup.fetchedAt()).isEqualTo(now);
        assertThat(lookup.expiresAt()).isEqualTo(now.plusSeconds(86400));
        assertThat(lookup.fromCache()).isFalse();
        assertThat(world.events.fetched).containsExactly("ok");
        assertThat(world.events.used).containsExactly(
                new RecordingMtaStsEvents.Used("example.test", PolicyMode.ENFORCE, false));
    }

    @Test
    void aTestingPolicyAppliesToo() {
        world.publish("example.test", "1", policy("testing", 3600, "mx1.example.test"));

        assertThat(active(lookup("example.test")).policy().mode()).isEqualTo(PolicyMode.TESTING);
    }

    @Test
    void theSameIdUsesTheCachedPolicyWithoutFetching() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        world.clock.advance(Duration.ofHours(1));

        DomainPolicy.Active second = active(lookup("example.test"));

        assertThat(second.fromCache()).isTrue();
        assertThat(second.fetchedAt()).isEqualTo(world.clock.instant().minus(Duration.ofHours(1)));
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(world.dns.queryCount("_mta-sts.example.test", "TXT")).isEqualTo(2);
    }

    @Test
    void aNewIdIsFetchedAndItsPolicyUsed() {
        TestPolicyServer.PolicyHost host = cachedThenNewId();
        host.policy(policy("enforce", 86400, "mx2.example.test"));

        DomainPolicy.Active lookup = active(lookup("example.test"));

        assertThat(lookup.id()).isEqualTo("2");
        assertThat(lookup.fromCache()).isFalse();
        assertThat(lookup.policy().matchesMx("mx2.example.test")).isTrue();
        assertThat(lookup.policy().matchesMx("mx1.example.test")).isFalse();
        assertThat(host.requestCount()).isEqualTo(2);
    }

    static Stream<Arguments> failedFetchesOfANewId() {
        return Stream.of(
                // what goes wrong, the response, the fetch result, what its detail says
                arguments("HTTP status 500", Response.status(500), "http_status", "500"),
                arguments("an invalid policy", Response.policy("version: STSv1\nmode: enforce\nnmx: mx1.example.test\nmax_age: 86400\n"),
                        "invalid_policy", "invalid policy: "),
                // a user's page on the policy host: a valid-looking policy naming an MX the domain never chose
                arguments("a policy served as HTML", Response.policy(policy("enforce", 86400, "mx.attacker.test"))
                        .withHeader("Content-Type", "text/html"), "wrong_media_type", "text/html"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failedFetchesOfANewId")
    void aNewIdWhoseFetchFailsKeepsTheCachedPolicy(String what, Response response, String result, String detail) {
        cachedThenNewId().respond(response);

        DomainPolicy.Active lookup = active(lookup("example.test"));

        assertThat(lookup.id()).isEqualTo("1");
        assertThat(lookup.fromCache()).isTrue();
        assertThat(lookup.policy().matchesMx("mx1.example.test")).isTrue();
        assertThat(lookup.policy().matchesMx("mx.attacker.test")).isFalse();
        assertThat(world.events.fetched).containsExactly("ok", result);
        assertThat(policies.snapshot().getFirst().lastFetch()).hasValueSatisfying(last -> {
            assertThat(last.result()).isEqualTo(result);
            assertThat(last.detail()).contains(detail);
        });
    }

    @Test
    void aPolicyServedWithoutMediaTypeIsNoPolicy() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        host.respond(Response.policy(ENFORCE).withoutContentType());

        assertThat(lookup("example.test")).isInstanceOfSatisfying(DomainPolicy.NoPolicy.class,
                none -> assertThat(none.why()).contains("no Content-Type"));
        assertThat(world.events.fetched).containsExactly("wrong_media_type");
    }

    @Test
    void aRemovedTxtRecordKeepsTheCachedPolicyUntilMaxAgeThenNoPolicy() {
        world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        world.dns.clear("_mta-sts.example.test", "TXT");
        world.clock.advance(Duration.ofSeconds(86399));

        DomainPolicy.Active kept = active(lookup("example.test"));
        world.clock.advance(Duration.ofSeconds(1));
        DomainPolicy expired = lookup("example.test");

        assertThat(kept.fromCache()).isTrue();
        assertThat(kept.id()).isEqualTo("1");
        assertThat(expired).isInstanceOfSatisfying(DomainPolicy.NoPolicy.class,
                none -> assertThat(none.why()).contains("no MTA-STS TXT record at _mta-sts.example.test"));
    }

    @Test
    void anExpiredPolicyIsFetchedAgainWhenTheRecordIsStillThere() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", policy("enforce", 600, "mx1.example.test"));
        lookup("example.test");
        world.clock.advance(Duration.ofSeconds(600));

        DomainPolicy.Active again = active(lookup("example.test"));

        assertThat(again.fromCache()).isFalse();
        assertThat(again.fetchedAt()).isEqualTo(world.clock.instant());
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void aTxtFailureWithACachedPolicyUsesIt() {
        world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        world.dns.servfail("_mta-sts.example.test");

        DomainPolicy.Active lookup = active(lookup("example.test"));

        assertThat(lookup.fromCache()).isTrue();
        assertThat(lookup.policy().mode()).isEqualTo(PolicyMode.ENFORCE);
    }

    @Test
    void aTxtFailureWithNothingCachedIsUnavailableNotNoPolicy() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        world.dns.servfail("_mta-sts.example.test");

        DomainPolicy lookup = lookup("example.test");

        assertThat(lookup).isInstanceOfSatisfying(DomainPolicy.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("_mta-sts.example.test"));
        assertThat(host.requestCount()).isZero();
    }

    @Test
    void aTxtTimeoutWithNothingCachedIsUnavailable() {
        world.dns.drop("_mta-sts.silent.test");

        assertThat(lookup("silent.test")).isInstanceOf(DomainPolicy.Unavailable.class);
    }

    @Test
    void noTxtRecordAndNothingCachedIsNoPolicyWithoutAFetch() {
        world.dns.a("mta-sts.example.test", "127.0.0.1");
        world.dns.txt("_mta-sts.example.test", "v=spf1 -all");
        TestPolicyServer.PolicyHost host = world.server.domain("example.test").policy(ENFORCE);

        assertThat(lookup("example.test")).isInstanceOf(DomainPolicy.NoPolicy.class);
        assertThat(lookup("nothing.test")).isInstanceOfSatisfying(DomainPolicy.NoPolicy.class,
                none -> assertThat(none.why()).isEqualTo("no MTA-STS TXT record at _mta-sts.nothing.test"));
        assertThat(host.requestCount()).isZero();
        assertThat(world.events.fetched).isEmpty();
    }

    @Test
    void twoStsRecordsAreNoPolicy() {
        world.publish("example.test", "1", ENFORCE);
        world.dns.txt("_mta-sts.example.test", "v=STSv1; id=2");

        assertThat(lookup("example.test")).isInstanceOf(DomainPolicy.NoPolicy.class);
        assertThat(world.server.domain("example.test").requestCount()).isZero();
    }

    @Test
    void aRecordWhoseFetchFailsWithNothingCachedIsNoPolicy() {
        world.publish("example.test", "1", ENFORCE).respond(Response.redirect("https://elsewhere.test/"));

        DomainPolicy lookup = lookup("example.test");

        assertThat(lookup).isInstanceOfSatisfying(DomainPolicy.NoPolicy.class, none -> assertThat(none.why())
                .contains("could not be fetched").contains("redirect to https://elsewhere.test/ not followed"));
        assertThat(world.events.fetched).containsExactly("redirect");
    }

    @Test
    void aFailedFetchIsNotRetriedForFiveMinutes() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE).respond(Response.status(404));
        lookup("example.test");
        world.clock.advance(Duration.ofMinutes(4));

        DomainPolicy soon = lookup("example.test");
        int afterSoon = host.requestCount();
        host.policy(ENFORCE);
        world.clock.advance(Duration.ofMinutes(1));
        DomainPolicy later = lookup("example.test");

        assertThat(soon).isInstanceOfSatisfying(DomainPolicy.NoPolicy.class,
                none -> assertThat(none.why()).contains("not tried again before"));
        assertThat(afterSoon).isEqualTo(1);
        assertThat(active(later).fromCache()).isFalse();
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void theBackoffIsPerIdSoANewIdIsFetchedAtOnce() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE).respond(Response.status(404));
        lookup("example.test");
        world.txt("example.test", "2");
        host.policy(ENFORCE);

        assertThat(active(lookup("example.test")).id()).isEqualTo("2");
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void concurrentLookupsShareOneFetch() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        // a caching resolver: with the TXT answer cached every lookup reaches the fetch at once, in this thread
        DnsResolver caching = world.resolverBuilder().build();
        MtaStsPolicies service = world.service(caching, world.fetcher(caching, world.server.port()));
        result(caching.lookupTxt("_mta-sts.example.test"));
        host.hold();

        List<CompletionStage<DomainPolicy>> lookups = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lookups.add(service.policyFor("example.test"));
        }
        host.awaitRequests(1, Duration.ofSeconds(10));
        host.release();

        for (CompletionStage<DomainPolicy> lookup : lookups) {
            assertThat(active(result(lookup)).id()).isEqualTo("1");
        }
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(world.events.fetched).containsExactly("ok");
    }

    @Test
    void aNonePolicyUnderANewIdReplacesTheCachedOne() {
        TestPolicyServer.PolicyHost host = cachedThenNewId();
        host.policy(policy("none", 86400));

        DomainPolicy lookup = lookup("example.test");
        world.dns.clear("_mta-sts.example.test", "TXT");
        DomainPolicy afterRecordGone = lookup("example.test");

        assertThat(lookup).isInstanceOfSatisfying(DomainPolicy.NoPolicy.class,
                none -> assertThat(none.why()).contains("mode none"));
        assertThat(afterRecordGone).isInstanceOf(DomainPolicy.NoPolicy.class);
        PolicyStatus status = policies.snapshot().getFirst();
        assertThat(status.mode()).contains(PolicyMode.NONE);
        assertThat(status.id()).contains("2");
    }

    @Test
    void aZeroMaxAgePolicyAppliesOnceAndIsNotKept() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", policy("enforce", 0, "mx1.example.test"));

        DomainPolicy.Active first = active(lookup("example.test"));
        DomainPolicy.Active second = active(lookup("example.test"));

        assertThat(first.expiresAt()).isEqualTo(first.fetchedAt());
        assertThat(second.fromCache()).isFalse();
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void addressLiteralsAndEmptyNamesHaveNoPolicyAndAskNothing() {
        assertThat(lookup("[192.0.2.1]")).isInstanceOf(DomainPolicy.NoPolicy.class);
        assertThat(lookup("[IPv6:2001:db8::1]")).isInstanceOf(DomainPolicy.NoPolicy.class);
        assertThat(lookup(" ")).isInstanceOf(DomainPolicy.NoPolicy.class);
        assertThat(world.dns.queryCount()).isZero();
    }

    @Test
    void refreshFetchesNowEvenWithTheSameId() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        host.policy(policy("testing", 86400, "mx9.example.test"));
        world.clock.advance(Duration.ofMinutes(1));

        DomainPolicy.Active refreshed = active(result(policies.refresh("example.test")));

        assertThat(refreshed.policy().mode()).isEqualTo(PolicyMode.TESTING);
        assertThat(refreshed.fetchedAt()).isEqualTo(world.clock.instant());
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(active(lookup("example.test")).policy().matchesMx("mx9.example.test")).isTrue();
        // the domain changed its policy without a new id: said once, and the new one is used
        assertThat(world.events.stale).containsExactly("example.test 1");
    }

    @Test
    void aRefreshThatFindsTheSamePolicyIsNotStale() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        // the same policy, written differently: not a change
        host.policy(ENFORCE.replace("\n", "\r\n"));
        world.clock.advance(Duration.ofMinutes(1));

        active(result(policies.refresh("example.test")));

        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(world.events.stale).isEmpty();
    }

    @Test
    void refreshIgnoresTheFailureBackoffAndAFailedRefreshKeepsThePolicy() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", ENFORCE);
        lookup("example.test");
        host.respond(Response.status(503));

        DomainPolicy.Active first = active(result(policies.refresh("example.test")));
        DomainPolicy.Active second = active(result(policies.refresh("example.test")));

        assertThat(first.id()).isEqualTo("1");
        assertThat(second.fromCache()).isTrue();
        assertThat(host.requestCount()).isEqualTo(3);
        assertThat(world.events.refreshFailures).hasSize(2)
                .allSatisfy(f -> assertThat(f.reason()).contains("HTTP status 503"));
    }

    @Test
    void theSnapshotShowsPoliciesAndLastFetches() {
        world.publish("example.test", "1", ENFORCE);
        world.publish("broken.test", "7", ENFORCE).respond(Response.status(404));
        lookup("example.test");
        lookup("broken.test");
        Instant now = world.clock.instant();

        List<PolicyStatus> snapshot = policies.snapshot();

        assertThat(snapshot).extracting(PolicyStatus::domain).containsExactly("broken.test", "example.test");
        PolicyStatus broken = snapshot.get(0);
        assertThat(broken.mode()).isEmpty();
        assertThat(broken.lastFetch()).hasValueSatisfying(last -> {
            assertThat(last.result()).isEqualTo("http_status");
            assertThat(last.at()).isEqualTo(now);
        });
        PolicyStatus example = snapshot.get(1);
        assertThat(example.mode()).contains(PolicyMode.ENFORCE);
        assertThat(example.id()).contains("1");
        assertThat(example.fetchedAt()).contains(now);
        assertThat(example.expiresAt()).contains(now.plusSeconds(86400));
        assertThat(example.lastFetch()).hasValueSatisfying(last -> {
            assertThat(last.result()).isEqualTo("ok");
            assertThat(last.detail()).isEqualTo("mode enforce, max_age 86400");
        });
    }
}
