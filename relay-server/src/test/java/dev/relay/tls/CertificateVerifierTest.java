package dev.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.MutableClock;
import dev.relay.tls.testkit.TestCertificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateVerifierTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Verifier Test CA");
    private static final TestCertificates.Authority OTHER_CA = TestCertificates.newAuthority("Somebody Else's CA");
    private static final CertificateVerifier VERIFIER = CertificateVerifier.create(false, List.of(CA.certificate()), Clock.systemUTC());

    private static TlsProblem problem(CertificateVerdict verdict) {
        assertThat(verdict).isInstanceOf(CertificateVerdict.NotVerified.class);
        return ((CertificateVerdict.NotVerified) verdict).problem();
    }

    @Test
    void trustsALeafOfTheCaForItsName() {
        TestCertificates.Issued mx = CA.issue("mx.example.test");

        assertThat(VERIFIER.verify(List.of(mx.certificate()), "mx.example.test")).isEqualTo(CertificateVerdict.verified());
        assertThat(VERIFIER.verify(List.of(mx.certificate(), CA.certificate()), "MX.example.test.").isVerified()).isTrue();
    }

    @Test
    void nameMismatchIsReportedAsSuch() {
        CertificateVerdict verdict = VERIFIER.verify(List.of(CA.issue("mx.other.test").certificate()), "mx.example.test");

        assertThat(problem(verdict)).isEqualTo(TlsProblem.CERTIFICATE_HOST_MISMATCH);
        assertThat(((CertificateVerdict.NotVerified) verdict).detail()).isEqualTo("certificate names [mx.other.test] do not match mx.example.test");
    }

    @Test
    void aTrustedCertificateNamingTheHostOnlyInItsCommonNameIsAMismatch() {
        TestCertificates.Issued cnOnly = CA.leaf("mx.example.test").withoutSubjectAltNames().issue();

        CertificateVerdict verdict = VERIFIER.verify(List.of(cnOnly.certificate()), "mx.example.test");

        assertThat(problem(verdict)).isEqualTo(TlsProblem.CERTIFICATE_HOST_MISMATCH);
        assertThat(((CertificateVerdict.NotVerified) verdict).detail())
                .contains("no DNS name among its subject alternative names").contains("[mx.example.test] is not used");
    }

    @Test
    void aTrustedCertificateWithOnlyAnIpAddressInItsSanIsAMismatch() {
        TestCertificates.Issued ipOnly = CA.leaf("127.0.0.1").commonName("mx.example.test").issue();

        assertThat(problem(VERIFIER.verify(List.of(ipOnly.certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void expiredAndNotYetValidLeaves() {
        assertThat(problem(VERIFIER.verify(List.of(CA.leaf("mx.example.test").expired().issue().certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.CERTIFICATE_EXPIRED);
        assertThat(problem(VERIFIER.verify(List.of(CA.leaf("mx.example.test").notYetValid().issue().certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.VALIDATION_FAILURE);
    }

    @Test
    void validityIsJudgedAtTheClocksNow() {
        X509Certificate leaf = CA.issue("mx.example.test").certificate();
        Clock later = Clock.fixed(leaf.getNotAfter().toInstant().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        CertificateVerifier inAYear = CertificateVerifier.create(false, List.of(CA.certificate()), later);

        assertThat(problem(inAYear.verify(List.of(leaf), "mx.example.test"))).isEqualTo(TlsProblem.CERTIFICATE_EXPIRED);
    }

    @Test
    void untrustedIssuerAndSelfSigned() {
        assertThat(problem(VERIFIER.verify(List.of(OTHER_CA.issue("mx.example.test").certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.CERTIFICATE_NOT_TRUSTED);
        assertThat(problem(VERIFIER.verify(List.of(TestCertificates.selfSigned("mx.example.test").issue().certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void presentingTheUntrustedRootDoesNotMakeItTrusted() {
        TestCertificates.Issued leaf = OTHER_CA.issue("mx.example.test");

        assertThat(problem(VERIFIER.verify(List.of(leaf.certificate(), OTHER_CA.certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void selfSignedCertificatePinnedThroughExtraTrustIsTrusted() {
        X509Certificate pinned = TestCertificates.selfSigned("mx.example.test").issue().certificate();
        CertificateVerifier verifier = CertificateVerifier.create(false, List.of(pinned), Clock.systemUTC());

        assertThat(verifier.verify(List.of(pinned), "mx.example.test").isVerified()).isTrue();
        assertThat(problem(verifier.verify(List.of(pinned), "other.example.test"))).isEqualTo(TlsProblem.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void anExpiredCertificateThatNoPathNeedsDoesNotSpoilTheChain() {
        X509Certificate stale = TestCertificates.selfSigned("old cross-sign").expired().issue().certificate();
        X509Certificate leaf = CA.issue("mx.example.test").certificate();

        assertThat(VERIFIER.verify(List.of(leaf, stale), "mx.example.test").isVerified()).isTrue();
    }

    @Test
    void noCertificateAtAll() {
        assertThat(problem(VERIFIER.verify(List.of(), "mx.example.test"))).isEqualTo(TlsProblem.VALIDATION_FAILURE);
    }

    @Test
    void systemRootsAreLoadedAndDoNotVouchForTestCertificates() {
        CertificateVerifier system = CertificateVerifier.create(true, List.of(), Clock.systemUTC());

        assertThat(system.anchorCount()).isGreaterThan(50);
        assertThat(problem(system.verify(List.of(CA.issue("mx.example.test").certificate()), "mx.example.test")))
                .isEqualTo(TlsProblem.CERTIFICATE_NOT_TRUSTED);
    }

    // ---- the memory of good verdicts

    @Test
    void aGoodVerdictIsRememberedForTheSameChainAndHost() {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        CertificateVerifier verifier = CertificateVerifier.create(false, List.of(CA.certificate()), clock);
        List<X509Certificate> chain = List.of(CA.issue("mx1.example.test", "mx2.example.test").certificate());

        assertThat(verifier.verify(chain, "mx1.example.test").isVerified()).isTrue();
        assertThat(verifier.verify(List.copyOf(chain), "mx1.example.test").isVerified()).isTrue();
        assertThat(verifier.pathsBuilt()).isEqualTo(1);

        assertThat(verifier.verify(chain, "mx2.example.test").isVerified()).as("another name: checked anew").isTrue();
        assertThat(verifier.pathsBuilt()).isEqualTo(2);

        clock.advance(CertificateVerifier.REVERIFY_AFTER);
        assertThat(verifier.verify(chain, "mx1.example.test").isVerified()).isTrue();
        assertThat(verifier.pathsBuilt()).as("checked again after a while").isEqualTo(3);

        clock.advance(Duration.ofMinutes(-20));
        assertThat(verifier.verify(chain, "mx1.example.test").isVerified()).isTrue();
        assertThat(verifier.pathsBuilt()).as("a clock set back voids the memory").isEqualTo(4);
    }

    @Test
    void aRememberedVerdictEndsWhenACertificateExpires() {
        java.time.Instant now = java.time.Instant.now();
        MutableClock clock = new MutableClock(now);
        CertificateVerifier verifier = CertificateVerifier.create(false, List.of(CA.certificate()), clock);
        X509Certificate shortLived = CA.leaf("mx.example.test").validity(now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofMinutes(1))).issue().certificate();

        assertThat(verifier.verify(List.of(shortLived), "mx.example.test").isVerified()).isTrue();
        clock.advance(Duration.ofMinutes(2));

        assertThat(problem(verifier.verify(List.of(shortLived), "mx.example.test"))).isEqualTo(TlsProblem.CERTIFICATE_EXPIRED);
    }

    @Test
    void badVerdictsAreNotRemembered() {
        CertificateVerifier verifier = CertificateVerifier.create(false, List.of(CA.certificate()), Clock.systemUTC());
        List<X509Certificate> untrusted = List.of(OTHER_CA.issue("mx.example.test").certificate());

        verifier.verify(untrusted, "mx.example.test");
        verifier.verify(untrusted, "mx.example.test");

        assertThat(verifier.pathsBuilt()).isEqualTo(2);
    }
}
