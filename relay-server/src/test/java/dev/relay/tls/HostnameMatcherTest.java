package dev.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.tls.testkit.TestCertificates;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameMatcherTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "mx.example.com,      mx.example.com,     true",
        "MX.Example.COM,      mx.example.com,     true",
        "mx.example.com.,     mx.example.com,     true",
        "mx.example.com,      MX.EXAMPLE.COM.,    true",
        "mx.example.com,      mx2.example.com,    false",
        "mx.example.com,      example.com,        false",
        "*.example.com,       a.example.com,      true",
        "*.example.com,       A.Example.Com.,     true",
        "*.example.com,       example.com,        false",
        "*.example.com,       a.b.example.com,    false",
        "*.example.com,       .example.com,       false",
        "*.example.com,       aexample.com,       false",
        "*.com,               example.com,        false",
        "*,                   example,            false",
        "f*.example.com,      foo.example.com,    false",
        "*o.example.com,      foo.example.com,    false",
        "a.*.example.com,     a.b.example.com,    false",
        "**.example.com,      a.example.com,      false",
        "*.*.example.com,     a.b.example.com,    false",
        "xn--bcher-kva.test,  xn--bcher-kva.test, true",
        "*.mx.test,           xn--bcher-kva.mx.test, true",
        "192.0.2.1,           192.0.2.1,          false",
        "'',                  mx.example.com,     false",
        "mx.example.com,      '',                 false",
    })
    void matchesPresentedNamesAgainstTheHost(String presented, String host, boolean expected) {
        assertThat(HostnameMatcher.matches(presented, host)).isEqualTo(expected);
    }

    @Test
    void readsSubjectAltNameDnsNames() {
        X509Certificate certificate = TestCertificates.selfSigned("mx1.example.com", "*.mx.example.com").issue().certificate();

        assertThat(HostnameMatcher.identities(certificate)).containsExactly("mx1.example.com", "*.mx.example.com");
        assertThat(HostnameMatcher.matches(certificate, "mx1.example.com")).isTrue();
        assertThat(HostnameMatcher.matches(certificate, "b.mx.example.com")).isTrue();
        assertThat(HostnameMatcher.matches(certificate, "mx2.example.com")).isFalse();
    }

    @Test
    void theSubjectCommonNameNeverCounts() throws Exception {
        // TestCertificates puts the first name in the CN too: with a SAN present, CN is not read
        X509Certificate withSan = TestCertificates.selfSigned("other.example.com").issue().certificate();
        assertThat(withSan.getSubjectX500Principal().getName()).contains("CN=other.example.com");
        assertThat(HostnameMatcher.identities(withSan)).containsExactly("other.example.com");

        // RFC 8461 section 4.2: a SAN DNS-ID is required; a name only in the CN is no identity
        X509Certificate cnOnly = commonNameOnly("legacy.example.com");
        assertThat(HostnameMatcher.identities(cnOnly)).isEmpty();
        assertThat(HostnameMatcher.matches(cnOnly, "legacy.example.com")).isFalse();
        assertThat(HostnameMatcher.mismatch(cnOnly, "legacy.example.com"))
                .isEqualTo("certificate has no DNS name among its subject alternative names"
                        + " (its subject CN [legacy.example.com] is not used), so it is not valid for legacy.example.com");
    }

    @Test
    void aSanWithOnlyAnIpAddressDoesNotLetTheCommonNameCount() {
        X509Certificate ipOnly = TestCertificates.selfSigned("192.0.2.10").commonName("mx.example.com").issue().certificate();
        assertThat(ipOnly.getSubjectX500Principal().getName()).contains("CN=mx.example.com");

        assertThat(HostnameMatcher.identities(ipOnly)).isEmpty();
        assertThat(HostnameMatcher.matches(ipOnly, "mx.example.com")).isFalse();
    }

    @Test
    void ipAddressEntriesNeverMatchAName() {
        X509Certificate certificate = TestCertificates.selfSigned("192.0.2.10").issue().certificate();

        assertThat(HostnameMatcher.matches(certificate, "192.0.2.10")).isFalse();
    }

    private static X509Certificate commonNameOnly(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name + ",O=relay tests");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.TWO, Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }
}
