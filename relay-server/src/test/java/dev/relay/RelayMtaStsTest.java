package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.cli.CommandRun;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.queue.RecipientStatus;
import dev.relay.tls.testkit.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS through the whole relay as configured from YAML: the policy is fetched with the
 * configured DNS, port and extra trust, persisted under mta-sts.cache-directory, and still
 * enforced after a restart while the policy host is down and the MX record points elsewhere.
 */
class RelayMtaStsTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Relay STS Test CA");

    @TempDir
    Path dir;

    @Test
    void anEnforcedPolicySurvivesARestartWhileThePolicyHostIsDown() throws Exception {
        try (StsPeers peers = StsPeers.start(CA, TestMx.builder().starttls(CA.issue("mx.dest.test"))
                .certificateFor("mx.attacker.test", CA.issue("mx.attacker.test")))) {
            TestMx mx = peers.mx;
            peers.publish("1", "enforce", "mx.dest.test").mxAt("mx.dest.test", "mx.attacker.test");
            RelayConfig config = peers.config(dir);

            RelayApplication first = peers.startRelay(config);
            StsPeers.submit(first, "first");
            assertThat(mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst().sni()).contains("mx.dest.test");
            MeterRegistry firstMetrics = first.metrics().registry();
            assertThat(count(firstMetrics, "relay.mtasts.policy.fetches", "result", "ok")).isEqualTo(1);
            assertThat(firstMetrics.get("relay.mtasts.policies.cached").tag("mode", "enforce").gauge().value()).isEqualTo(1);
            awaitCount(firstMetrics, "relay.delivery.attempts", 1, "result", "delivered", "tls", "verified",
                    "mta_sts_mode", "enforce");
            first.stop();
            assertThat(peers.web.requestCount()).isEqualTo(1);

            peers.stopPolicyServer();
            peers.dns.remove("dest.test").mx("dest.test", 10, "mx.attacker.test");
            RelayApplication second = peers.startRelay(config);
            StsPeers.submit(second, "second");
            RecipientStatus.Deferred deferred = DeferredRecipients.awaitFirst(second);
            assertThat(deferred.reason()).startsWith("451 4.7.5 MTA-STS policy of <dest.test> (mode enforce)")
                    .contains("mx.attacker.test does not match");
            assertThat(mx.messages()).as("the attacker's host got nothing").hasSize(1);
            MeterRegistry secondMetrics = second.metrics().registry();
            assertThat(count(secondMetrics, "relay.mtasts.enforcement.failures", "reason", "mx-mismatch")).isEqualTo(1);
            assertThat(count(secondMetrics, "relay.mtasts.policy.fetches", "result", "ok")).as("served from the cache").isZero();
            assertThat(count(secondMetrics, "relay.delivery.attempts", "result", "deferred", "tls", "none",
                    "mta_sts_mode", "enforce")).isEqualTo(1);
        }
    }

    @Test
    void aTestingPolicyDeliversThroughABadCertificateAndCountsWhatEnforceWouldHaveRefused() throws Exception {
        try (StsPeers peers = StsPeers.start(CA, TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()))) {
            peers.publish("1", "testing", "mx.dest.test").mxAt("mx.dest.test");
            RelayApplication relay = peers.startRelay(dir);
            StsPeers.submit(relay, "testing");
            assertThat(peers.mx.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
            MeterRegistry registry = relay.metrics().registry();
            awaitCount(registry, "relay.delivery.attempts", 1, "result", "delivered", "tls", "tls",
                    "mta_sts_mode", "testing");
            assertThat(count(registry, "relay.mtasts.testing.failures", "reason", "certificate-not-trusted"))
                    .isEqualTo(1);
            assertThat(count(registry, "relay.mtasts.enforcement.failures", "reason", "certificate-not-trusted"))
                    .isZero();
            assertThat(registry.get("relay.mtasts.policies.cached").tag("mode", "testing").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void anOperatorRefreshFetchesAChangedPolicyNow() throws Exception {
        try (StsPeers peers = StsPeers.start(CA, TestMx.builder().starttls(CA.issue("mx.dest.test")))) {
            peers.publish("1", "enforce", "mx.dest.test").mxAt("mx.dest.test");
            RelayApplication relay = peers.startRelay(dir);
            String admin = "127.0.0.1:" + relay.adminAddress().getPort();
            String first = CommandRun.succeeding("mta-sts", "refresh", "--admin", admin, "dest.test");
            assertThat(first).startsWith("dest.test: policy enforce, id 1, fetched ").contains("(fetched now)");

            peers.dns.remove("_mta-sts.dest.test").txt("_mta-sts.dest.test", "v=STSv1; id=2");
            peers.policy("testing", "mx.dest.test");
            String second = CommandRun.succeeding("mta-sts", "refresh", "--admin", admin, "dest.test");
            assertThat(second).startsWith("dest.test: policy testing, id 2, fetched ");
            assertThat(peers.web.requestCount()).isEqualTo(2);

            String none = CommandRun.succeeding("mta-sts", "refresh", "--admin", admin, "nothing.test");
            assertThat(none).startsWith("nothing.test: no policy in force (");

            CommandRun notADomain = CommandRun.of("mta-sts", "refresh", "--admin", admin, "not a domain");
            assertThat(notADomain.exitCode()).isEqualTo(2);
            assertThat(notADomain.err()).contains("is not a domain name");
        }
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    /** Attempt counters move on the delivery thread just after the MX has the message. */
    private static void awaitCount(MeterRegistry registry, String name, double expected, String... tags) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                assertThat(count(registry, name, tags)).as("%s %s", name, String.join(",", tags)).isEqualTo(expected));
    }
}
