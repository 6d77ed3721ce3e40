package dev.relay.mtasts;

import static dev.relay.mtasts.StsWorld.policy;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.dns.DnsResolver;
import dev.relay.mtasts.testkit.TestPolicyServer.Response;
import dev.relay.mtasts.testkit.TestPolicyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The periodic task, driven directly with the test clock (RFC 8461 sections 3.3 and 10.2). */
class PolicyRefreshTest extends PoliciesTestBase {

    private static final String DAY_POLICY = policy("enforce", 86400, "mx1.example.test");

    @Test
    void aPolicyNearExpiryIsRefetchedWithTheSameId() {
        TestPolicyServer.PolicyHost host = cached(DAY_POLICY);
        host.policy(policy("enforce", 86400, "mx2.example.test"));
        refreshAfter(Duration.ofHours(18)); // a quarter of max_age left

        assertThat(host.requestCount()).isEqualTo(2);
        DomainPolicy.Active after = active(lookup("example.test"));
        assertThat(after.fromCache()).isTrue();
        assertThat(after.fetchedAt()).isEqualTo(world.clock.instant());
        assertThat(after.policy().matchesMx("mx2.example.test")).isTrue();
        assertThat(world.events.fetched).containsExactly("ok", "ok");
        assertThat(world.events.refreshFailures).isEmpty();
    }

    @Test
    void aPolicyNotYetDueIsLeftAlone() {
        TestPolicyServer.PolicyHost host = cached(DAY_POLICY);
        refreshAfter(Duration.ofHours(17));

        assertThat(host.requestCount()).isEqualTo(1);
    }

    @Test
    void aLongLivedPolicyIsRefetchedOnceItIsADayOld() {
        TestPolicyServer.PolicyHost host = cached(policy("enforce", 31557600, "mx1.example.test"));

        assertThat(requestCountsAfterRefreshes(host, Duration.ofHours(23), Duration.ofHours(1))).containsExactly(1, 2);
    }

    @Test
    void aRefreshFindingANewIdFetchesThatId() {
        TestPolicyServer.PolicyHost host = cached(DAY_POLICY);
        world.txt("example.test", "2");
        refreshAfter(Duration.ofHours(20));

        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(policies.snapshot().getFirst().id()).contains("2");
    }

    @Test
    void aFailedRefreshIsReportedAndKeepsThePolicy() {
        TestPolicyServer.PolicyHost host = cached(DAY_POLICY);
        host.respond(Response.status(500));
        refreshAfter(Duration.ofHours(20));

        assertThat(world.events.refreshFailures).singleElement().satisfies(failure -> {
            assertThat(failure.domain()).isEqualTo("example.test");
            assertThat(failure.reason()).contains("HTTP status 500");
        });
        DomainPolicy.Active kept = active(lookup("example.test"));
        assertThat(kept.fromCache()).isTrue();
        assertThat(kept.fetchedAt()).isEqualTo(world.clock.instant().minus(Duration.ofHours(20)));
    }

    @Test
    void aRefreshWithTheTxtRecordGoneIsAFailureAndKeepsThePolicy() {
        TestPolicyServer.PolicyHost host = cached(DAY_POLICY);
        world.dns.clear("_mta-sts.example.test", "TXT");
        refreshAfter(Duration.ofHours(20));

        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(world.events.refreshFailures).singleElement()
                .satisfies(failure -> assertThat(failure.reason()).contains("no MTA-STS TXT record"));
        assertThat(active(lookup("example.test")).id()).isEqualTo("1");
    }

    @Test
    void aFailedRefreshOfANonePolicyIsNotAnAlert() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", policy("none", 86400));
        result(policies.policyFor("example.test"));
        host.respond(Response.status(500));
        refreshAfter(Duration.ofHours(20));

        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(world.events.refreshFailures).isEmpty();
    }

    @Test
    void aFailedRefreshIsNotRepeatedWithinTheBackoff() {
        TestPolicyServer.PolicyHost host = cached(DAY_POLICY);
        host.respond(Response.status(500));

        // the failed refresh, then one within the backoff, then one past it
        assertThat(requestCountsAfterRefreshes(host, Duration.ofHours(20), Duration.ofMinutes(4), Duration.ofMinutes(1)))
                .containsExactly(2, 2, 3);
    }

    @Test
    void domainsNotLookedUpRecentlyAreNotRefreshed() {
        TestPolicyServer.PolicyHost host = cached(policy("enforce", 31557600, "mx1.example.test"));
        refreshAfter(Duration.ofDays(8));

        assertThat(host.requestCount()).isEqualTo(1);
    }

    @Test
    void expiredPolicyFilesAreDeletedByTheTask() {
        world.publish("example.test", "1", policy("enforce", 3600, "mx1.example.test"));
        active(lookup("example.test"));
        PolicyStore store = PolicyStore.open(directory);
        assertThat(store.fileFor("example.test")).exists();
        refreshAfter(Duration.ofHours(2));

        assertThat(store.fileFor("example.test")).doesNotExist();
    }

    @Test
    void startedServicesRunTheTaskByThemselves() throws InterruptedException {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        DnsResolver resolver = world.resolver();
        MtaStsPolicies started = world.service(resolver, world.fetcher(resolver, world.server.port()),
                settings -> settings.refreshInterval(Duration.ofMillis(20)));
        active(result(started.policyFor("example.test")));
        world.clock.advance(Duration.ofHours(20));

        started.start();
        started.start(); // a second start adds no second task
        Instant refreshedAt = world.clock.instant();
        awaitUntil(() -> started.snapshot().getFirst().fetchedAt().equals(Optional.of(refreshedAt)));
        started.close();

        assertThat(host.requestCount()).isGreaterThanOrEqualTo(2);
        assertThat(world.events.fetched).startsWith("ok", "ok");
        assertThat(world.events.refreshFailures).isEmpty();
    }

    /** example.test publishes {@code policy} (id 1) and has been looked up: the policy is cached and active. */
    private TestPolicyServer.PolicyHost cached(String policy) {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", policy);
        active(lookup("example.test"));
        return host;
    }

    /** The test clock moves on by {@code time}, then one refresh pass runs to its end. */
    private void refreshAfter(Duration time) {
        world.clock.advance(time);
        result(policies.refreshDue());
    }

    /** The policy host's request count after each of these refreshes, each {@code step} after the one before. */
    private List<Integer> requestCountsAfterRefreshes(TestPolicyServer.PolicyHost host, Duration... steps) {
        List<Integer> counts = new ArrayList<>();
        for (Duration step : steps) {
            refreshAfter(step);
            counts.add(host.requestCount());
        }
        return counts;
    }

    /** For the one test that lets the service's own thread run: polls instead of a fixed sleep. */
    private static void awaitUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }
}
