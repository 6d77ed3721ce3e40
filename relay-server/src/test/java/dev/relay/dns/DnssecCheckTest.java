package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * The start-up DNSSEC self-check against a loopback server: a signed {@code test.} zone
 * anchored in a trust-anchor file passes; the same zone with its signatures stripped (what a
 * resolver that does not pass DNSSEC records on serves), or the built-in root anchor with no
 * signed root behind the server, does not.
 */
class DnssecCheckTest {

    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();

    @TempDir
    Path dir;

    private final SignedZone zone = SignedZone.builder("test").add("mx.test. A 127.0.0.1").build();

    private DnsResolver resolver(DnssecMode mode, TrustAnchors anchors) {
        return DnsResolver.builder()
                .servers(List.of(dns.endpoint()))
                .timeout(Duration.ofMillis(500))
                .attempts(1)
                .dnssec(mode)
                .trustAnchors(anchors)
                .build();
    }

    private TrustAnchors anchorFile() throws IOException {
        return TrustAnchors.fromFile(Files.writeString(dir.resolve("anchors"), zone.dsAnchor()));
    }

    private static Optional<DnssecCheck> check(DnsResolver resolver) {
        return result(resolver.checkDnssec());
    }

    @Test
    void aSignedAnchoredZoneServedWithItsSignaturesWorks() throws IOException {
        dns.add(zone.recordArray());

        assertThat(check(resolver(DnssecMode.VALIDATE, anchorFile()))).contains(new DnssecCheck.Working("test."));
        assertThat(dns.queryCount("test", "DNSKEY")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void signaturesStrippedByTheServersIsNotWorking() throws IOException {
        dns.add(Arrays.stream(zone.recordArray()).filter(r -> !(r instanceof RRSIGRecord)).toArray(Record[]::new));

        Optional<DnssecCheck> check = check(resolver(DnssecMode.VALIDATE, anchorFile()));

        assertThat(check).get().isInstanceOf(DnssecCheck.NotWorking.class);
        assertThat(check.get().zone()).isEqualTo("test.");
        assertThat(((DnssecCheck.NotWorking) check.get()).reason()).contains("DNSKEY records of test.");
    }

    @Test
    void theRootAnchorWithoutASignedRootBehindTheServersIsNotWorking() {
        dns.add(zone.recordArray()).mx("example.test", 10, "mx.test");

        Optional<DnssecCheck> check = check(resolver(DnssecMode.VALIDATE, TrustAnchors.builtIn()));

        assertThat(check).get().isInstanceOf(DnssecCheck.NotWorking.class);
        assertThat(check.get().zone()).isEqualTo(".");
    }

    @Test
    void trustAdWorksOnlyWhenTheServersSetTheAdBit() throws IOException {
        dns.add(zone.recordArray());
        DnsResolver resolver = resolver(DnssecMode.TRUST_AD, anchorFile());

        Optional<DnssecCheck> withoutAd = check(resolver);
        dns.authenticData(true);
        Optional<DnssecCheck> withAd = check(resolver);

        assertThat(withoutAd).get().isInstanceOf(DnssecCheck.NotWorking.class);
        assertThat(((DnssecCheck.NotWorking) withoutAd.get()).reason()).contains("AD bit");
        assertThat(withAd).contains(new DnssecCheck.Working("test."));
    }

    @Test
    void serversThatDoNotAnswerGiveNoVerdict() throws IOException {
        dns.add(zone.recordArray()).drop("test", "DNSKEY");

        assertThat(check(resolver(DnssecMode.VALIDATE, anchorFile()))).get().isInstanceOf(DnssecCheck.NoAnswer.class);
    }

    @Test
    void withDnssecOffNothingIsAsked() {
        assertThat(check(resolver(DnssecMode.OFF, TrustAnchors.builtIn()))).isEmpty();
        assertThat(dns.queryCount()).isZero();
    }
}
