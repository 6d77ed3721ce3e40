package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.metrics.MetricNames;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running relay's {@code /metrics}: a message submitted over SMTP and delivered over
 * verified STARTTLS to a loopback MX shows up in every layer's metrics, scraped over HTTP with
 * the admin token.
 */
class RelayMetricsTest {

    private static final String LISTENER = "127.0.0.1:0";
    private static final String TOKEN = "metrics-test-token";

    @TempDir
    Path dir;

    @Test
    void aDeliveredMessageShowsInTheScrape() throws Exception {
        TestCertificates.Authority ca = TestCertificates.newAuthority("Metrics Test CA");
        Path trust = ca.writeTrustPem(dir.resolve("ca.pem"));
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(ca.issue("mx.dest.test")).start()) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
            RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).deliveryPort(mx.port())
                    .dns(dns.hostPort()).extraTrust(trust).token(TOKEN).load());
            try {
                AdminHttp anonymous = new AdminHttp(relay.adminAddress());
                assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(401);
                assertThat(anonymous.get("/health/ready").statusCode()).isEqualTo(200);
                AdminHttp http = new AdminHttp(relay.adminAddress()).token(TOKEN);
                Scrape before = scrape(http);
                assertThat(MetricNames.all()).allSatisfy(name -> assertThat(before.has(name)).as(name).isTrue());

                String message = "Subject: metrics\r\n\r\nHello.\r\n";
                SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@dest.test", message);
                mx.awaitMessages(1, Duration.ofSeconds(20));

                Scrape after = awaitScrape(http, s -> s.value("relay_deliveries_total", "outcome", "delivered").orElse(0.0) == 1
                        && s.value("relay_queue_messages", "state", "active").orElse(-1.0) == 0);
                assertThat(after.value("relay_deliveries_total", "outcome", "delivered")).contains(1.0);
                assertThat(after.value("relay_smtp_sessions_total", "listener", LISTENER)).contains(1.0);
                assertThat(after.value("relay_messages_accepted_total", "listener", LISTENER)).contains(1.0);
                assertThat(after.value("relay_message_size_bytes_count")).contains(1.0);
                assertThat(after.value("relay_message_size_bytes_sum")).contains((double) message.length());
                assertThat(after.value("relay_smtp_connections_active", "listener", LISTENER)).contains(0.0);
                assertThat(after.value("relay_delivery_attempts_total", "result", "delivered", "tls", "verified",
                        "mta_sts_mode", "none")).contains(1.0);
                assertThat(after.value("relay_delivery_delay_seconds_count")).contains(1.0);
                String version = mx.tlsSessions().getFirst().protocol();
                assertThat(after.value("relay_tls_outbound_total", "version", version, "verified", "true")).contains(1.0);
                assertThat(after.value("relay_dns_lookups_total", "type", "mx", "result", "found")).hasValueSatisfying(
                        v -> assertThat(v).isGreaterThanOrEqualTo(1));
                assertThat(after.value("relay_dns_lookups_total", "type", "a", "result", "found")).hasValueSatisfying(
                        v -> assertThat(v).isGreaterThanOrEqualTo(1));
                assertThat(after.value("relay_spool_syncs_total")).hasValueSatisfying(v -> assertThat(v).isPositive());
                for (String state : MetricNames.QUEUE_STATES) {
                    assertThat(after.value("relay_queue_messages", "state", state)).as(state).contains(0.0);
                }
                assertThat(after.value("relay_queue_oldest_seconds")).contains(0.0);
            } finally {
                relay.stop();
            }
        }
    }

    /**
     * The delivery events that only the delivery side tells (RFC 8689 {@code TLS-Required: No}
     * here) reach the metrics through the status page's listeners, which also hear them.
     */
    @Test
    void aTlsRequiredNoMessageIsCountedInTheScrape() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); TestMx mx = TestMx.builder().start()) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
            RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).deliveryPort(mx.port())
                    .dns(dns.hostPort()).token(TOKEN).load());
            try {
                AdminHttp http = new AdminHttp(relay.adminAddress()).token(TOKEN);
                SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@dest.test",
                        "Subject: opportunistic\r\nTLS-Required: No\r\n\r\nHello.\r\n");
                mx.awaitMessages(1, Duration.ofSeconds(20));

                Scrape after = awaitScrape(http,
                        s -> s.value("relay_deliveries_total", "outcome", "delivered").orElse(0.0) == 1);
                assertThat(after.value("relay_tls_required_no_total", "outcome", "honoured")).contains(1.0);
            } finally {
                relay.stop();
            }
        }
    }

    private static Scrape scrape(AdminHttp http) throws Exception {
        HttpResponse<String> response = http.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }

    /** The delivery is recorded a moment after the MX has the message; the gauges may lag by their cache age. */
    private static Scrape awaitScrape(AdminHttp http, java.util.function.Predicate<Scrape> ready) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> scrape(http), ready);
    }
}
