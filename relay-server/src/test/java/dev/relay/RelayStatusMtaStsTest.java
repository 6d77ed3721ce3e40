package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status data from the running MTA-STS service, not a stand-in: a domain whose enforced
 * policy does not list the MX its DNS now names shows as a cached policy and as an enforcement
 * failure in {@code /api/status}.
 */
class RelayStatusMtaStsTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Status STS Test CA");

    @TempDir
    Path dir;

    @Test
    void theStatusShowsTheCachedPolicyAndTheMxThatFailedIt() throws Exception {
        try (StsPeers peers = StsPeers.start(CA, TestMx.builder().starttls(CA.issue("mx.attacker.test")))) {
            peers.publish("20260301", "enforce", "mx.dest.test").mxAt("mx.attacker.test");
            RelayApplication relay = peers.startRelay(dir);
            StsPeers.submit(relay, "enforced");
            AdminHttp http = new AdminHttp(relay.adminAddress());
            JsonNode status = awaitFailure(http);

            JsonNode policy = status.get("policies").get(0);
            assertThat(policy.get("domain").asText()).isEqualTo("dest.test");
            assertThat(policy.get("mode").asText()).isEqualTo("enforce");
            assertThat(policy.get("expires").asText()).isNotEmpty();
            assertThat(policy.get("last_fetch_result").asText()).isEqualTo("ok");
            JsonNode failure = status.get("enforcement_failures").get(0);
            assertThat(failure.get("domain").asText()).isEqualTo("dest.test");
            assertThat(failure.get("mx").asText()).isEqualTo("mx.attacker.test");
            assertThat(failure.get("reason").asText()).startsWith("mx-mismatch");
            assertThat(status.get("queue").get("deferred").asLong()).isEqualTo(1);
            assertThat(peers.mx.messages()).as("the unlisted MX got nothing").isEmpty();
        }
    }

    private static JsonNode awaitFailure(AdminHttp http) {
        return await("an enforcement failure on the status").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> AdminJson.mapper().readTree(http.get("/api/status").body()),
                        status -> !status.get("enforcement_failures").isEmpty()
                                && status.get("queue").get("deferred").asLong() == 1);
    }
}
