package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dane.Tlsa;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code relay.jar tls check} against a loopback DNS server serving a zone signed in the test
 * (validated from a test anchor in {@code delivery.dns.trust-anchors}), a policy server and one
 * MX that plays every host name with the certificate each scenario gives it.
 */
class TlsCheckCommandTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("TLS Check Test CA");

    @TempDir
    Path dir;

    private CheckPeers peers;
    private TestDnsServer dns;
    private TestPolicyServer web;
    private String anchor = "";

    @BeforeEach
    void setUp() {
        peers = new CheckPeers(CA, dir);
        dns = peers.dns;
        web = peers.web;
    }

    @AfterEach
    void tearDown() {
        peers.close();
    }

    @Test
    void aSignedDomainShowsEachHostsTlsaRecordsAndWhichPolicyGovernsIt() throws Exception {
        // mx1 has a TLSA record matching its self-signed certificate; mx2 has none and a Web PKI
        // certificate; the enforce policy lists only mx2
        TestCertificates.Issued daneCertificate = TestCertificates.selfSigned("mx1.dest.test").issue();
        String tlsa = HexFormat.of().formatHex(Tlsa.of(3, 1, 1, daneCertificate.certificate()).data());
        signedZone("dest.test. MX 10 mx1.dest.test.", "dest.test. MX 20 mx2.dest.test.",
                "mx1.dest.test. A 127.0.0.1", "mx2.dest.test. A 127.0.0.1", "mta-sts.dest.test. A 127.0.0.1",
                "_25._tcp.mx1.dest.test. TLSA 3 1 1 " + tlsa,
                "_25._tcp.mx1.dest.test. TLSA 1 1 1 " + tlsa);
        peers.publishEnforce("1", "mx2.dest.test");
        peers.startMx(TestMx.builder().starttls(CA.issue("mx2.dest.test")).certificateFor("mx1.dest.test", daneCertificate));

        CommandRun result = check("dest.test");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out())
                .contains("MX lookup of dest.test (delivery.dns.dnssec: validate)", "10 mx1.dest.test", "20 mx2.dest.test")
                .contains("-> DNSSEC secure: DANE applies to the hosts with secure TLSA records")
                .contains("TLSA _25._tcp.mx1.dest.test (DNSSEC secure)")
                .contains("3 1 1 " + tlsa.substring(0, 20)).contains("usable, DANE-EE(3)")
                .contains("unusable: usage PKIX-EE(1) is not used for SMTP")
                .contains("verdict: matches its TLSA records (DANE)", "-> passes DANE (TLS verified by the TLSA records)")
                .contains("no DANE: no TLSA records at _25._tcp.mx2.dest.test")
                // the MTA-STS section as mta-sts check prints it
                .contains("MTA-STS check for dest.test", "-> valid: mode enforce", "10 mx1.dest.test   policy match: NO")
                .contains("mx1.dest.test: DANE (usable TLSA records; MTA-STS is not consulted for this host) -> usable")
                .contains("MTA-STS alone: a sender can deliver to dest.test under its enforce policy")
                .contains("mx2.dest.test: MTA-STS enforce -> usable")
                .contains("Result: the relay can deliver to dest.test: 2 of 2 MX hosts pass the policy that governs them");
    }

    @Test
    void aTlsaRecordThatMatchesNothingMakesTheHostUnusableWhateverMtaStsSays() throws Exception {
        TestCertificates.Issued webCertificate = CA.issue("mx.dest.test");
        String other = HexFormat.of().formatHex(
                Tlsa.of(3, 1, 1, TestCertificates.selfSigned("mx.dest.test").issue().certificate()).data());
        signedZone("dest.test. MX 10 mx.dest.test.", "mx.dest.test. A 127.0.0.1", "mta-sts.dest.test. A 127.0.0.1",
                "_25._tcp.mx.dest.test. TLSA 3 1 1 " + other);
        peers.publishEnforce("1", "mx.dest.test");
        peers.startMx(TestMx.builder().starttls(webCertificate));

        CommandRun result = check("dest.test");

        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.out())
                .contains("verdict: does NOT match its TLSA records (tlsa-invalid)", "-> FAILS DANE")
                .contains("verdict: valid for mx.dest.test") // the MTA-STS section: the Web PKI is happy
                .contains("mx.dest.test: DANE (usable TLSA records; MTA-STS is not consulted for this host) -> NOT usable")
                .contains("Result: the relay CANNOT deliver to dest.test");
        assertThat(result.out().lines().filter(l -> l.startsWith("Result: "))).hasSize(1);
    }

    @Test
    void anUnsignedDomainIsLeftToMtaSts() throws Exception {
        signedZone("unrelated.test. TXT \"anchor only\"");
        dns.mx("plain.test", 10, "mx.plain.test").a("mx.plain.test", "127.0.0.1")
                .add("_25._tcp.mx.plain.test. 300 IN TLSA 3 1 1 " + "00".repeat(32));
        peers.startMx(TestMx.builder().starttls(CA.issue("mx.plain.test")));

        CommandRun result = check("plain.test");

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out())
                .contains("-> DNSSEC insecure: DANE does not apply to this domain (RFC 7672 section 2.2.1)")
                .contains("no DANE: the MX lookup is not DNSSEC-secure")
                .contains("mx.plain.test: no policy (opportunistic TLS) -> usable");
    }

    private void signedZone(String... records) {
        String apex = records[0].substring(0, records[0].indexOf(". "));
        SignedZone zone = SignedZone.builder(apex).add(records).build();
        dns.add(zone.recordArray());
        anchor = zone.dsAnchor();
    }


    private CommandRun check(String domain) throws Exception {
        Path anchors = Files.writeString(dir.resolve("anchors.zone"), anchor);
        return peers.check("tls", domain, ", dnssec: validate, trust-anchors: " + anchors, "");
    }
}
