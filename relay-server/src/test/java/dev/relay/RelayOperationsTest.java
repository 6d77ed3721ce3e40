package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.testkit.CapturedLogs;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads from a running relay: the certificate expiry gauge, and log lines in config words. */
class RelayOperationsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.root();

    @Test
    void certificateExpiryGaugeIsTheListenerCertificatesNotAfter() throws Exception {
        Instant notAfter = Instant.now().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
        TestCertificates.Issued leaf = TestCertificates.newAuthority("Ops Test CA").leaf("relay.test")
                .validity(Instant.now().minus(Duration.ofDays(1)), notAfter).issue();
        RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir)
                .serverTls(leaf.write(dir, "relay")).load());
        try {
            Scrape scrape = Scrape.parse(new AdminHttp(relay.adminAddress()).get("/metrics").body());
            assertThat(scrape.value("relay_tls_certificate_expiry_seconds")).contains((double) notAfter.getEpochSecond());
        } finally {
            relay.stop();
        }
    }

    @Test
    void withoutACertificateTheGaugeIsZeroAndReadyFollowsHealth() throws Exception {
        RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).load());
        try {
            Scrape scrape = Scrape.parse(new AdminHttp(relay.adminAddress()).get("/metrics").body());
            assertThat(scrape.value("relay_tls_certificate_expiry_seconds")).contains(0.0);
            assertThat(scrape.value("relay_ready")).contains(1.0);
            assertThat(new AdminHttp(relay.adminAddress()).get("/health/ready").statusCode()).isEqualTo(200);
        } finally {
            relay.stop();
        }
    }

    @Test
    void logLinesWriteDurationsAndCountsAsAdminsDo() throws Exception {
        RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).shutdownGrace("1m30s").load());
        relay.stop();
        List<String> lines = logs.messages();
        assertThat(lines).contains("stopping: no new connections; transactions in progress have 1m30s");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("delivery started: DNS 127.0.0.1:9 (DNSSEC off), port 25,"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("mta-sts: 0 cached policies loaded from .*"));
        assertThat(lines).noneMatch(line -> line.matches(".*\\bPT\\d.*")).noneMatch(line -> line.contains(" 1 messages"));
    }
}
