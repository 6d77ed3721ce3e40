package dev.relay.dane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Cause;
import dev.relay.tls.testkit.TestCertificates;
import dev.relay.tls.testkit.TestCertificates.Authority;
import dev.relay.tls.testkit.TestCertificates.Issued;
import dev.relay.tls.testkit.TestCertificates.KeyType;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DaneVerifierTest {

    private static final String MX = "mx.example.test";
    private static final Instant NOW = Instant.now();

    private static final Authority ROOT = TestCertificates.newAuthority("DANE Root");
    private static final Authority INTERMEDIATE = ROOT.subordinate("DANE Intermediate");
    private static final Issued LEAF = ROOT.issue(MX);
    private static final Issued OTHER_LEAF = ROOT.issue(MX);

    private static DaneVerdict verify(TlsaRecords.Usable records, List<X509Certificate> chain, String... names) {
        return DaneVerifier.verify(records, chain, List.of(names), NOW);
    }

    // ---- DANE-EE(3)

    static Stream<Arguments> selectorsAndMatchingTypes() {
        return Stream.of(0, 1).flatMap(selector -> Stream.of(0, 1, 2).map(matching -> Arguments.of(selector, matching)));
    }

    /**
     * Both usages with what their records name in the leaf's chain: DANE-EE(3) the leaf's
     * certificate or key, DANE-TA(2) its issuer's (the leaf having the right name); each with
     * every selector and matching type.
     */
    static Stream<Arguments> usagesSelectorsAndMatchingTypes() {
        return Stream.of(Arguments.of(TlsaRecord.Usage.DANE_EE, LEAF.certificate()),
                        Arguments.of(TlsaRecord.Usage.DANE_TA, ROOT.certificate()))
                .flatMap(usage -> selectorsAndMatchingTypes().map(types -> Arguments.of(
                        usage.get()[0], usage.get()[1], types.get()[0], types.get()[1])));
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("usagesSelectorsAndMatchingTypes")
    void aRecordOfTheLeafOrOfItsIssuerAuthenticates(TlsaRecord.Usage usage, X509Certificate named, int selector,
            int matching) {
        TlsaRecord record = Tlsa.of(usage.value(), selector, matching, named);

        assertThat(verify(Tlsa.usable(record), LEAF.fullChain(), MX)).isEqualTo(new DaneVerdict.Authenticated(usage, record));
    }

    @ParameterizedTest(name = "3 {0} {1}")
    @MethodSource("selectorsAndMatchingTypes")
    void daneEeForAnotherCertificateIsTlsaInvalid(int selector, int matching) {
        TlsaRecord record = Tlsa.of(3, selector, matching, OTHER_LEAF.certificate());

        DaneVerdict verdict = verify(Tlsa.usable(record), LEAF.fullChain(), MX);

        assertThat(verdict).isInstanceOf(DaneVerdict.Failed.class);
        assertThat(((DaneVerdict.Failed) verdict).cause()).isEqualTo(Cause.TLSA_INVALID);
        assertThat(((DaneVerdict.Failed) verdict).reason()).contains("none of the 1 usable TLSA records matches");
    }

    @Test
    void daneEeChecksNeitherNameNorDatesNorIssuer() {
        Issued expiredSelfSignedElsewhere = TestCertificates.selfSigned("elsewhere.test").expired().issue();
        TlsaRecord record = Tlsa.of(3, 1, 1, expiredSelfSignedElsewhere.certificate());

        assertThat(verify(Tlsa.usable(record), List.of(expiredSelfSignedElsewhere.certificate()), MX))
                .isInstanceOf(DaneVerdict.Authenticated.class);
    }

    @Test
    void daneEeMatchesOnlyTheLeafNotAnIssuer() {
        TlsaRecord issuerKey = Tlsa.of(3, 1, 1, ROOT.certificate());

        assertThat(verify(Tlsa.usable(issuerKey), LEAF.fullChain(), MX)).isInstanceOf(DaneVerdict.Failed.class);
    }

    @Test
    void daneEeOfAnRsaKeyMatchesToo() {
        Issued rsa = ROOT.leaf(MX).keyType(KeyType.RSA).issue();
        TlsaRecord record = Tlsa.of(3, 1, 2, rsa.certificate());

        assertThat(verify(Tlsa.usable(record), rsa.fullChain(), MX)).isInstanceOf(DaneVerdict.Authenticated.class);
    }

    // ---- DANE-TA(2)

    @Test
    void daneTaWithTheWrongNameIsAHostMismatch() {
        Issued elsewhere = ROOT.issue("mx.elsewhere.test");

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 0, 1, ROOT.certificate())), elsewhere.fullChain(), MX);

        assertThat(verdict).isEqualTo(new DaneVerdict.Failed(Cause.CERTIFICATE_HOST_MISMATCH,
                "certificate names [mx.elsewhere.test] do not match mx.example.test"));
    }

    @Test
    void daneTaWithAnExpiredLeafIsCertificateExpired() {
        Issued expired = ROOT.leaf(MX).expired().issue();

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate())), expired.fullChain(), MX);

        assertThat(verdict).isEqualTo(new DaneVerdict.Failed(Cause.CERTIFICATE_EXPIRED, "the server's certificate has expired"));
    }

    @Test
    void daneTaWithALeafNotYetValidIsAValidationFailure() {
        Issued early = ROOT.leaf(MX).notYetValid().issue();

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate())), early.fullChain(), MX);

        assertThat(verdict).isEqualTo(new DaneVerdict.Failed(Cause.VALIDATION_FAILURE, "the server's certificate is not valid yet"));
    }

    @Test
    void daneTaWhoseChainSignatureDoesNotVerifyIsAValidationFailure() {
        // same name as the root, another key: its leaf claims the root as issuer, but the root did not sign it
        Authority impostor = TestCertificates.newAuthority("DANE Root");
        Issued forged = impostor.issue(MX);

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 0, 1, ROOT.certificate())),
                List.of(forged.certificate(), ROOT.certificate()), MX);

        assertThat(verdict).isEqualTo(new DaneVerdict.Failed(Cause.VALIDATION_FAILURE, "the server's certificate chain"
                + " does not lead to the TLSA trust anchor (an issuer name or a signature does not match)"));
    }

    @Test
    void daneTaWithAForgedCertificateInsideTheChainIsAValidationFailure() {
        // an intermediate of the same name as the real one, another key: the leaf it signed is
        // presented above the real intermediate, whose signature by the root holds
        Authority forger = ROOT.subordinate("DANE Intermediate");
        Issued forged = forger.issue(MX);

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 0, 1, ROOT.certificate())),
                List.of(forged.certificate(), INTERMEDIATE.certificate(), ROOT.certificate()), MX);

        assertThat(verdict).isEqualTo(new DaneVerdict.Failed(Cause.VALIDATION_FAILURE,
                "the server's certificate has a signature that does not verify"));
    }

    @Test
    void daneTaOfAnotherAuthorityMatchesNothing() {
        Authority other = TestCertificates.newAuthority("Other Root");

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 1, 1, other.certificate())), LEAF.fullChain(), MX);

        assertThat(verdict).isInstanceOf(DaneVerdict.Failed.class);
        assertThat(((DaneVerdict.Failed) verdict).cause()).isEqualTo(Cause.TLSA_INVALID);
    }

    @Test
    void daneTaThroughAnIntermediateAnchoredAtTheRootOrAtTheIntermediate() {
        Issued leaf = INTERMEDIATE.issue(MX);
        assertThat(leaf.fullChain()).hasSize(3);

        assertThat(verify(Tlsa.usable(Tlsa.of(2, 0, 1, ROOT.certificate())), leaf.fullChain(), MX))
                .isInstanceOf(DaneVerdict.Authenticated.class);
        assertThat(verify(Tlsa.usable(Tlsa.of(2, 1, 2, INTERMEDIATE.certificate())), leaf.fullChain(), MX))
                .isInstanceOf(DaneVerdict.Authenticated.class);
    }

    @Test
    void daneTaFullPublicKeyAnchorsAChainThatLeavesTheAnchorOut() {
        Issued leaf = INTERMEDIATE.issue(MX);
        List<X509Certificate> withoutRoot = List.of(leaf.certificate(), INTERMEDIATE.certificate());

        assertThat(verify(Tlsa.usable(Tlsa.of(2, 1, 0, ROOT.certificate())), withoutRoot, MX))
                .isInstanceOf(DaneVerdict.Authenticated.class);
        // a digest cannot stand in for a missing anchor: there is no key to check signatures with
        assertThat(verify(Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate())), withoutRoot, MX))
                .isInstanceOf(DaneVerdict.Failed.class);
    }

    @Test
    void daneTaMatchingTheLeafMakesItItsOwnAnchorWithTheNameStillChecked() {
        TlsaRecord record = Tlsa.of(2, 0, 1, LEAF.certificate());

        assertThat(verify(Tlsa.usable(record), LEAF.fullChain(), MX)).isInstanceOf(DaneVerdict.Authenticated.class);
        assertThat(verify(Tlsa.usable(record), LEAF.fullChain(), "mx.elsewhere.test")).isInstanceOf(DaneVerdict.Failed.class);
    }

    @Test
    void daneTaAcceptsAnyOfTheReferenceNames() {
        Issued cnamed = ROOT.issue("mail.provider.test");

        assertThat(verify(Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate())), cnamed.fullChain(), MX, "mail.provider.test"))
                .isInstanceOf(DaneVerdict.Authenticated.class);
    }

    @Test
    void daneTaWildcardsOnlyAsTheWholeLeftmostLabel() {
        TlsaRecords.Usable records = Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate()));

        assertThat(verify(records, ROOT.issue("*.example.test").fullChain(), MX)).isInstanceOf(DaneVerdict.Authenticated.class);
        assertThat(verify(records, ROOT.issue("*.example.test").fullChain(), "a.mx.example.test"))
                .isInstanceOf(DaneVerdict.Failed.class);
        assertThat(verify(records, ROOT.issue("m*.example.test").fullChain(), MX)).isInstanceOf(DaneVerdict.Failed.class);
    }

    @Test
    void daneTaNeverReadsTheSubjectCommonName() {
        Issued cnOnly = ROOT.leaf(MX).withoutSubjectAltNames().issue();

        DaneVerdict verdict = verify(Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate())), cnOnly.fullChain(), MX);

        assertThat(verdict).isInstanceOf(DaneVerdict.Failed.class);
        assertThat(((DaneVerdict.Failed) verdict).cause()).isEqualTo(Cause.CERTIFICATE_HOST_MISMATCH);
        assertThat(((DaneVerdict.Failed) verdict).reason()).contains("subject CN").contains("is not used");
    }

    @Test
    void theDatesAreThoseOfTheGivenTime() {
        TlsaRecords.Usable records = Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate()));

        DaneVerdict later = DaneVerifier.verify(records, LEAF.fullChain(), List.of(MX), NOW.plus(Duration.ofDays(400)));

        assertThat(later).isEqualTo(new DaneVerdict.Failed(Cause.CERTIFICATE_EXPIRED, "the server's certificate has expired"));
    }

    // ---- several records

    @Test
    void anEeMatchWinsOverAFailingTaRecord() {
        Issued elsewhere = ROOT.issue("mx.elsewhere.test");
        TlsaRecord ee = Tlsa.of(3, 1, 1, elsewhere.certificate());

        assertThat(verify(Tlsa.usable(Tlsa.of(2, 1, 1, ROOT.certificate()), ee), elsewhere.fullChain(), MX))
                .isEqualTo(new DaneVerdict.Authenticated(TlsaRecord.Usage.DANE_EE, ee));
    }

    @Test
    void oneMatchingRecordAmongStaleOnesIsEnough() {
        TlsaRecord stale = Tlsa.of(3, 1, 1, OTHER_LEAF.certificate());
        TlsaRecord current = Tlsa.of(3, 0, 2, LEAF.certificate());

        assertThat(verify(Tlsa.usable(stale, current), LEAF.fullChain(), MX))
                .isEqualTo(new DaneVerdict.Authenticated(TlsaRecord.Usage.DANE_EE, current));
    }

    @Test
    void noCertificateAtAllIsAValidationFailure() {
        assertThat(verify(Tlsa.usable(Tlsa.of(3, 1, 1, LEAF.certificate())), List.of(), MX))
                .isEqualTo(new DaneVerdict.Failed(Cause.VALIDATION_FAILURE, "the server presented no certificate"));
    }
}
