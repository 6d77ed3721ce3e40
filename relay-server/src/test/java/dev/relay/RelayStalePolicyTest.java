package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.smtp.testkit.SmtpTestClient;
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
        try (TestDnsServer dns = TestDnsServer.start();
                TestPolicyServer web = TestPolicyServer.start(CA);
                TestMx mx = TestMx.builder().starttls(CA.issue("mx-old.dest.test"))
                        .certificateFor("mx-new.dest.test", CA.issue("mx-new.dest.test")).start()) {
            dns.defaultTtl(0); // the move must be seen at once, not after the MX record's TTL
            dns.a("mta-sts.dest.test", "127.0.0.1").txt("_mta-sts.dest.test", "v=STSv1; id=1")
                    .mx("dest.test", 10, "mx-old.dest.test").a("mx-old.dest.test", "127.0.0.1")
                    .a("mx-new.dest.test", "127.0.0.1");
            web.domain("dest.test").policy("version: STSv1\nmode: enforce\nmx: mx-old.dest.test\nmax_age: 604800\n");
            RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).deliveringThrough(dns, mx, web, CA).load());
            try {
                submit(relay, "before the move");
                assertThat(mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst().sni()).contains("mx-old.dest.test");

                // the move: new MX, new policy text, same TXT id
                dns.remove("dest.test").mx("dest.test", 10, "mx-new.dest.test");
                web.domain("dest.test").policy("version: STSv1\nmode: enforce\nmx: mx-new.dest.test\nmax_age: 604800\n");
                submit(relay, "after the move");

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
                assertThat(web.requestCount()).isEqualTo(2);
            } finally {
                relay.stop();
            }
        }
    }

    private static void submit(RelayApplication relay, String subject) throws Exception {
        SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@dest.test",
                "Subject: " + subject + "\r\n\r\nHello.\r\n");
    }
}
