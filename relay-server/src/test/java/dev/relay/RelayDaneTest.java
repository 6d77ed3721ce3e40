package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.dane.Tlsa;
import dev.relay.dane.TlsaRecord;
import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DANE as the running relay is configured for it: {@code delivery.dns.dnssec: validate} from a
 * test trust anchor in the file {@code delivery.dns.trust-anchors} names, a signed zone on the
 * loopback DNS server, a self-signed MX certificate that only its TLSA record vouches for (the
 * relay trusts no CA for it), and {@code relay_dane_verifications_total} on {@code /metrics}.
 */
class RelayDaneTest {

    @TempDir
    Path dir;

    @Test
    void aDomainWithATlsaRecordGetsItsMailOverTlsVerifiedByDane() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned("mx.dest.test").issue();
        TlsaRecord tlsa = Tlsa.of(3, 1, 1, certificate.certificate());
        SignedZone zone = SignedZone.builder("dest.test")
                .add("dest.test. MX 10 mx.dest.test.", "mx.dest.test. A 127.0.0.1",
                        "_25._tcp.mx.dest.test. TLSA 3 1 1 " + HexFormat.of().formatHex(tlsa.data()))
                .build();
        Path anchors = Files.writeString(dir.resolve("anchors.zone"), zone.dsAnchor());
        try (TestDnsServer dns = TestDnsServer.start(); TestMx mx = TestMx.builder().starttls(certificate).start()) {
            dns.add(zone.recordArray());
            RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).deliveryPort(mx.port())
                    .dns(dns.hostPort()).validateDnssec(anchors).load());
            try {
                SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@dest.test",
                        "Subject: dane\r\n\r\nhello\r\n");

                ReceivedMessage received = mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst();
                assertThat(received.tls()).isTrue();
                assertThat(received.sni()).contains("mx.dest.test");
                AdminHttp http = new AdminHttp(relay.adminAddress());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    Scrape scrape = Scrape.parse(http.get("/metrics").body());
                    assertThat(scrape.value("relay_dane_verifications_total", "result", "success")).contains(1.0);
                    assertThat(scrape.value("relay_dane_verifications_total", "result", "tlsa-invalid")).contains(0.0);
                    assertThat(scrape.value("relay_dnssec_answers_total", "status", "secure")).get()
                            .satisfies(secure -> assertThat(secure).isGreaterThanOrEqualTo(3.0)); // MX, A/AAAA, TLSA
                    assertThat(scrape.value("relay_delivery_attempts_total", "result", "delivered", "tls", "verified",
                            "mta_sts_mode", "none")).contains(1.0);
                });
            } finally {
                relay.stop();
            }
        }
    }
}
