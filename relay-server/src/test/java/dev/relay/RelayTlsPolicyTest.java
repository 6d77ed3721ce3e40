package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.cli.CommandRun;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.testkit.CapturedLogs;
import dev.relay.tls.testkit.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local TLS policy overrides through the whole relay: a partner domain that publishes nothing
 * gets authenticated TLS required from the configuration; a domain whose enforced policy is
 * broken is suspended at run time (who and why logged, counted, listed, kept across a restart),
 * its mail goes, and the failure is still counted.
 */
class RelayTlsPolicyTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Override Test CA");

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.root();

    @Test
    void anEnforceOverrideRequiresAuthenticatedTlsForADomainThatPublishesNothing() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(TestCertificates.selfSigned("mx.partner.test").issue()).start()) {
            dns.mx("partner.test", 10, "mx.partner.test").a("mx.partner.test", "127.0.0.1");
            RelayConfig config = TestRelayConfig.in(dir).deliveryPort(mx.port()).dns(dns.hostPort())
                    .extraTrust(CA.writeTrustPem(dir.resolve("ca.pem"))).extraYaml("""
                            tls-policy:
                              overrides:
                                - {domain: partner.test, mode: enforce, mx: [mx.partner.test], reason: contract}
                            """).load();
            RelayApplication relay = RelayApplication.start(config);
            try {
                SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "a@origin.test", "b@partner.test",
                        "Subject: t\r\n\r\nHello.\r\n");
                RecipientStatus.Deferred deferred = DeferredRecipients.awaitFirst(relay);
                assertThat(deferred.reason()).startsWith("451 4.7.5 TLS policy for <partner.test> (local override, mode"
                        + " enforce) could not be met by any MX host: ").contains("mx.partner.test");
                assertThat(mx.messages()).as("the unauthenticated host got nothing").isEmpty();
                MeterRegistry registry = relay.metrics().registry();
                assertThat(registry.get("relay.mtasts.enforcement.failures").tag("reason", "certificate-not-trusted")
                        .counter().count()).isEqualTo(1);
                Scrape scrape = Scrape.parse(new AdminHttp(relay.adminAddress()).get("/metrics").body());
                assertThat(scrape.value("relay_tls_policy_overrides_active", "kind", "require")).contains(1.0);
                assertThat(scrape.value("relay_tls_policy_overrides_active", "kind", "suspend")).contains(0.0);
                assertThat(CommandRun.succeeding("tls-policy", "list", "--admin", admin(relay)))
                        .isEqualTo("partner.test  require (config, mode enforce, mx mx.partner.test)  reason: contract");
            } finally {
                relay.stop();
            }
        }
    }

    @Test
    void aSuspensionLetsMailThroughABrokenPolicyCountsTheFailureAndOutlivesARestart() throws Exception {
        try (StsPeers peers = StsPeers.start(CA, TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()))) {
            peers.publish("1", "enforce", "mx.dest.test").mxAt("mx.dest.test");
            RelayConfig config = peers.config(dir);
            RelayApplication relay = peers.startRelay(config);
            String said = CommandRun.succeeding("tls-policy", "suspend", "dest.test", "--for", "24h", "--reason",
                    "their certificate expired", "--admin", admin(relay));
            assertThat(said).startsWith("dest.test: MTA-STS enforcement suspended until ").endsWith("(1d from now)");
            assertThat(logs.messages()).anySatisfy(line -> assertThat(line)
                    .matches("tls-policy: MTA-STS enforcement for dest.test suspended for 1d \\(until .*\\) by admin API "
                            + "client 127\\.0\\.0\\.1 \\(operator .*\\): their certificate expired"));

            StsPeers.submit(relay, "t");
            assertThat(peers.mx.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
            MeterRegistry registry = relay.metrics().registry();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry
                    .get("relay.mtasts.testing.failures").tag("reason", "certificate-not-trusted").counter().count())
                    .as("the failure is still seen and counted").isEqualTo(1));
            assertThat(registry.get("relay.mtasts.enforcement.failures").tag("reason", "certificate-not-trusted")
                    .counter().count()).isZero();
            assertThat(logs.messages()).anySatisfy(line -> assertThat(line)
                    .contains("domain=dest.test").contains("certificate-not-trusted")
                    .contains("MTA-STS enforcement suspended by local override (suspension: their certificate expired)"));
            Scrape scrape = Scrape.parse(new AdminHttp(relay.adminAddress()).get("/metrics").body());
            assertThat(scrape.value("relay_tls_policy_overrides_active", "kind", "suspend")).contains(1.0);
            relay.stop();
            assertThat(Files.readString(dir.resolve("spool").resolve("tls-policy-suspensions.json")))
                    .contains("dest.test").contains("their certificate expired");

            RelayApplication again = peers.startRelay(config);
            String listed = CommandRun.succeeding("tls-policy", "list", "--admin", admin(again));
            assertThat(listed).startsWith("dest.test  suspend (suspension, mode testing)  until ")
                    .contains(" left)  by admin API client 127.0.0.1").endsWith("reason: their certificate expired");
            assertThat(CommandRun.succeeding("tls-policy", "resume", "dest.test", "--admin", admin(again)))
                    .isEqualTo("dest.test: suspension lifted, MTA-STS enforced as published");
            assertThat(CommandRun.succeeding("tls-policy", "list", "--admin", admin(again))).isEqualTo("no TLS policy overrides in force");

            CommandRun tooLong = CommandRun.of("tls-policy", "suspend", "dest.test", "--for", "31d", "--reason", "x",
                    "--admin", admin(again));
            assertThat(tooLong.exitCode()).isEqualTo(1);
            assertThat(tooLong.err()).contains("at most 30d");
        }
    }

    private static String admin(RelayApplication relay) {
        return "127.0.0.1:" + relay.adminAddress().getPort();
    }
}
