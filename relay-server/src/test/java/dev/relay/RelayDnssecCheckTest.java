package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.testkit.CapturedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up DNSSEC check as the running relay does it: with the built-in root anchor and a
 * loopback DNS server that holds no signed root (as a resolver stripping DNSSEC records looks to
 * a validator), one WARN names {@code delivery.dns.servers} and the fix, the gauge says 0 and
 * the status page says broken; with a signed zone anchored in {@code delivery.dns.trust-anchors}
 * it is 1 and working.
 */
class RelayDnssecCheckTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.root();
    private RelayApplication relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void resolversThatCannotValidateGiveOneWarningTheGaugeAtZeroAndTheStatusPage() throws Exception {
        dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");

        relay = RelayApplication.start(TestRelayConfig.in(dir).dns(dns.hostPort()).validateDnssecFromTheRoot().load());

        AdminHttp http = new AdminHttp(relay.adminAddress());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Scrape.parse(http.get("/metrics").body()).value("relay_dnssec_validation_working")).contains(0.0));
        List<String> warnings = warnings();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst())
                .contains("delivery.dns.servers at " + dns.hostPort() + " do not pass DNSSEC records on")
                .contains("mail will wait")
                .contains("delivery.dns.dnssec: trust-ad")
                .doesNotContain("Exception");
        JsonNode dnssec = status(http).get("dnssec");
        assertThat(dnssec.get("mode").asText()).isEqualTo("validate");
        assertThat(dnssec.get("state").asText()).isEqualTo("broken");
        assertThat(dnssec.get("detail").asText()).contains("do not pass DNSSEC records on");
        assertThat(dns.queryCount(".", "DNSKEY")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void resolversPassingASignedAnchoredZoneOnMakeTheGaugeOne() throws Exception {
        SignedZone zone = SignedZone.builder("dest.test").add("dest.test. MX 10 mx.dest.test.", "mx.dest.test. A 127.0.0.1")
                .build();
        dns.add(zone.recordArray());
        Path anchors = Files.writeString(dir.resolve("anchors.zone"), zone.dsAnchor());

        relay = RelayApplication.start(TestRelayConfig.in(dir).dns(dns.hostPort()).validateDnssec(anchors).load());

        AdminHttp http = new AdminHttp(relay.adminAddress());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Scrape.parse(http.get("/metrics").body()).value("relay_dnssec_validation_working")).contains(1.0));
        assertThat(status(http).get("dnssec").get("state").asText()).isEqualTo("working");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void withDnssecOffNothingIsAskedAndTheGaugeHasNoVerdict() throws Exception {
        relay = RelayApplication.start(TestRelayConfig.in(dir).dns(dns.hostPort()).load());

        AdminHttp http = new AdminHttp(relay.adminAddress());
        assertThat(status(http).get("dnssec").get("state").asText()).isEqualTo("off");
        assertThat(Scrape.parse(http.get("/metrics").body()).value("relay_dnssec_validation_working")).get()
                .satisfies(value -> assertThat(value).isNaN());
        assertThat(dns.queryCount(".", "DNSKEY")).isZero();
    }

    private List<String> warnings() {
        return logs.messages(Level.WARN, DnssecSelfCheck.class);
    }

    private static JsonNode status(AdminHttp http) throws Exception {
        return AdminJson.mapper().readTree(http.get("/api/status").body());
    }
}
