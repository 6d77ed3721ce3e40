package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.testkit.CapturedLogs;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain that moves its mail to new MX hosts and changes its policy without a new TXT id: the
 * relay, finding no MX host in its cached policy, fetches the policy again, adopts the live one
 * that matches, says so (WARN, metric, status page), and the mail goes to the new host.
 */
class RelayStalePolicyTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Stale Test CA");

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.root();

    @Test
    void mxHostsOutsideTheCachedPolicyMakeTheRelayFetchItAgainAndAdoptTheLiveOne() throws Exception {
        try (StsPeers peers = StsPeers.start(CA, TestMx.builder().starttls(CA.issue("mx-old.dest.test"))
                .certificateFor("mx-new.dest.test", CA.issue("mx-new.dest.test")))) {
            TestMx mx = peers.mx;
            peers.dns.defaultTtl(0); // the move must be seen at once, not after the MX record's TTL
            peers.publish("1", "enforce", "mx-old.dest.test").mxAt("mx-old.dest.test", "mx-new.dest.test");
            RelayApplication relay = peers.startRelay(dir);
            StsPeers.submit(relay, "before the move");
            assertThat(mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst().sni()).contains("mx-old.dest.test");

            // the move: new MX, new policy text, same TXT id
            peers.dns.remove("dest.test").mx("dest.test", 10, "mx-new.dest.test");
            peers.policy("enforce", "mx-new.dest.test");
            StsPeers.submit(relay, "after the move");

            assertThat(mx.awaitMessages(2, Duration.ofSeconds(20)).get(1).sni()).contains("mx-new.dest.test");
            assertThat(logs.messages()).anySatisfy(line -> assertThat(line)
                    .isEqualTo("mta-sts policy of dest.test: none of the MX hosts (mx-new.dest.test) matched the cached"
                            + " policy (id 1, mode enforce, max_age 604800, mx mx-old.dest.test); the live policy (id 1,"
                            + " mode enforce, max_age 604800, mx mx-new.dest.test) matches and was adopted"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(relay.metrics().registry()
                    .get("relay.mtasts.stale.policies").counter().count()).as("counted once").isEqualTo(1));
            assertThat(relay.metrics().registry().get("relay.mtasts.enforcement.failures").tag("reason", "mx-mismatch")
                    .counter().count()).as("the new host was never refused").isZero();

            JsonNode status = AdminJson.mapper().readTree(new AdminHttp(relay.adminAddress()).get("/api/status").body());
            JsonNode stale = status.get("stale_policies");
            assertThat(stale).hasSize(1);
            assertThat(stale.get(0).get("domain").asText()).isEqualTo("dest.test");
            assertThat(stale.get(0).get("what").asText()).contains("matches and was adopted");
            assertThat(peers.web.requestCount()).isEqualTo(2);
        }
    }
}
