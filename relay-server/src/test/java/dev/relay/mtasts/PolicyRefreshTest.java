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
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The periodic task, driven directly with the test clock (RFC 8461 sections 3.3 and 10.2). */
class PolicyRefreshTest extends PoliciesTestBase {

    private static final String DAY_POLICY = policy("enforce", 86400, "mx1.example.test");

    @Test
    void aPolicyNearExpiryIsRefetchedWithTheSameId() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        active(lookup("example.test"));
        host.policy(policy("enforce", 86400, "mx2.example.test"));
        world.clock.advance(Duration.ofHours(18)); // a quarter of max_age left

        result(policies.refreshDue());

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
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        active(lookup("example.test"));
        world.clock.advance(Duration.ofHours(17));

        result(policies.refreshDue());

        assertThat(host.requestCount()).isEqualTo(1);
    }

    @Test
    void aLongLivedPolicyIsRefetchedOnceItIsADayOld() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", policy("enforce", 31557600, "mx1.example.test"));
        active(lookup("example.test"));
        world.clock.advance(Duration.ofHours(23));
        result(policies.refreshDue());
        int beforeADay = host.requestCount();
        world.clock.advance(Duration.ofHours(1));

        result(policies.refreshDue());

        assertThat(beforeADay).isEqualTo(1);
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void aRefreshFindingANewIdFetchesThatId() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        active(lookup("example.test"));
        world.txt("example.test", "2");
        world.clock.advance(Duration.ofHours(20));

        result(policies.refreshDue());

        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(policies.snapshot().getFirst().id()).contains("2");
    }

    @Test
    void aFailedRefreshIsReportedAndKeepsThePolicy() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        active(lookup("example.test"));
        host.respond(Response.status(500));
        world.clock.advance(Duration.ofHours(20));

        result(policies.refreshDue());

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
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        active(lookup("example.test"));
        world.dns.clear("_mta-sts.example.test", "TXT");
        world.clock.advance(Duration.ofHours(20));

        result(policies.refreshDue());

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
        world.clock.advance(Duration.ofHours(20));

        result(policies.refreshDue());

        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(world.events.refreshFailures).isEmpty();
    }

    @Test
    void aFailedRefreshIsNotRepeatedWithinTheBackoff() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", DAY_POLICY);
        active(lookup("example.test"));
        host.respond(Response.status(500));
        world.clock.advance(Duration.ofHours(20));
        result(policies.refreshDue());
        world.clock.advance(Duration.ofMinutes(4));
        result(policies.refreshDue());
        int withinBackoff = host.requestCount();
        world.clock.advance(Duration.ofMinutes(1));

        result(policies.refreshDue());

        assertThat(withinBackoff).isEqualTo(2);
        assertThat(host.requestCount()).isEqualTo(3);
    }

    @Test
    void domainsNotLookedUpRecentlyAreNotRefreshed() {
        TestPolicyServer.PolicyHost host = world.publish("example.test", "1", policy("enforce", 31557600, "mx1.example.test"));
        active(lookup("example.test"));
        world.clock.advance(Duration.ofDays(8));

        result(policies.refreshDue());

        assertThat(host.requestCount()).isEqualTo(1);
    }

    @Test
    void expiredPolicyFilesAreDeletedByTheTask() {
        world.publish("example.test", "1", policy("enforce", 3600, "mx1.example.test"));
        active(lookup("example.test"));
        PolicyStore store = PolicyStore.open(directory);
        assertThat(store.fileFor("example.test")).exists();
        world.clock.advance(Duration.ofHours(2));

        result(policies.refreshDue());

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

    /** For the one test that lets the service's own thread run: polls instead of a fixed sleep. */
    private static void awaitUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }
}
