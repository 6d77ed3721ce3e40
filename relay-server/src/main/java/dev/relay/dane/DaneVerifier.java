package dev.relay.dane;

import dev.relay.outcome.Cause;
import dev.relay.tls.HostnameMatcher;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a server's certificate chain against the usable TLSA records of its host (RFC 7672
 * section 3.1, RFC 7671 section 5). A pure function of its arguments: no DNS, no network, no
 * trust store.
 *
 * <ul>
 *   <li>DANE-EE(3): the leaf's certificate (selector 0) or public key (selector 1) matches.
 *       Nothing else is checked: not the name, not the dates, not the issuer (RFC 7672 section
 *       3.1.1).</li>
 *   <li>DANE-TA(2): a certificate of the presented chain matches and becomes the trust anchor;
 *       the chain from the leaf up to it must verify (signatures, dates, CA flags) with the
 *       JDK's PKIX validator given that one anchor, and the leaf must carry a subjectAltName
 *       DNS-ID matching one of the reference names (section 3.2.3: no CN, a wildcard only as the
 *       whole leftmost label). The anchor's own dates are not checked, as for any trust anchor
 *       (RFC 5280 section 6.1). A DANE-TA record matching the leaf makes the leaf its own
 *       anchor: the name is still checked (RFC 7671 section 5.2.2). A "2 1 0" record (a full
 *       public key) also anchors a chain whose top certificate it signed, for servers that
 *       leave the anchor out (RFC 7671 section 5.2.3).</li>
 * </ul>
 * Any DANE-EE match wins at once; otherwise the first DANE-TA anchor whose chain and name hold.
 * When nothing holds, the verdict reports the first thing that went wrong: no record matching
 * anything ({@code tlsa-invalid}), or for the first matched anchor its chain or name problem.
 */
public final class DaneVerifier {

    private DaneVerifier() {}

    /**
     * @param records the usable TLSA records of the host ({@link TlsaRecords.Usable})
     * @param chain the certificates the server presented, leaf first
     * @param referenceNames the names the leaf may carry (RFC 7672 section 3.2.2): the MX host
     *     as found in the MX record, and the CNAME-expanded name when the TLSA base was expanded
     * @param now the time the dates are checked at
     */
    public static DaneVerdict verify(TlsaRecords.Usable records, List<X509Certificate> chain, List<String> referenceNames,
            Instant now) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(now, "now");
        List<X509Certificate> certificates = List.copyOf(chain);
        List<String> names = List.copyOf(referenceNames);
        if (certificates.isEmpty()) {
            return new DaneVerdict.Failed(Cause.VALIDATION_FAILURE, "the server presented no certificate");
        }
        X509Certificate leaf = certificates.getFirst();
        for (TlsaRecord r : records.records()) {
            if (r.knownUsage().orElseThrow() == TlsaRecord.Usage.DANE_EE && Association.matches(r, leaf)) {
                return new DaneVerdict.Authenticated(TlsaRecord.Usage.DANE_EE, r);
            }
        }
        Optional<DaneVerdict.Failed> firstFailure = Optional.empty();
        for (TlsaRecord r : records.records()) {
            if (r.knownUsage().orElseThrow() != TlsaRecord.Usage.DANE_TA) {
                continue;
            }
            for (Anchor anchor : anchors(r, certificates)) {
                Optional<DaneVerdict.Failed> problem = checkChain(anchor, now)
                        .or(() -> checkName(leaf, names));
                if (problem.isEmpty()) {
                    return new DaneVerdict.Authenticated(TlsaRecord.Usage.DANE_TA, r);
                }
                if (firstFailure.isEmpty()) {
                    firstFailure = problem;
                }
            }
        }
        return firstFailure.orElseGet(() -> new DaneVerdict.Failed(Cause.TLSA_INVALID,
                "none of the " + records.records().size() + " usable TLSA records matches the server's certificate chain"));
    }

    /**
     * A trust anchor found for a DANE-TA record.
     *
     * @param below the certificates under it, leaf first (empty when the leaf is the anchor)
     */
    private record Anchor(TrustAnchor anchor, List<X509Certificate> below) {}

    private static List<Anchor> anchors(TlsaRecord record, List<X509Certificate> chain) {
        List<Anchor> anchors = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            if (Association.matches(record, chain.get(i))) {
                anchors.add(new Anchor(new TrustAnchor(chain.get(i), null), chain.subList(0, i)));
            }
        }
        if (anchors.isEmpty() && record.knownSelector().orElseThrow() == TlsaRecord.Selector.SPKI
                && record.knownMatching().orElseThrow() == TlsaRecord.Matching.FULL) {
            X509Certificate top = chain.getLast();
            publicKey(record.rawData()).ifPresent(key ->
                    anchors.add(new Anchor(new TrustAnchor(top.getIssuerX500Principal(), key, null), chain)));
        }
        return anchors;
    }

    /** The public key in a SubjectPublicKeyInfo, for the key types TLS servers use. */
    private static Optional<PublicKey> publicKey(byte[] spki) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki)));
            } catch (GeneralSecurityException e) {
                // not a key of this type: try the next
            }
        }
        return Optional.empty();
    }

    private static Optional<DaneVerdict.Failed> checkChain(Anchor anchor, Instant now) {
        if (anchor.below().isEmpty()) {
            return Optional.empty(); // the leaf is the anchor: nothing to chain
        }
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(anchor.below());
            PKIXParameters parameters = new PKIXParameters(Set.of(anchor.anchor()));
            parameters.setRevocationEnabled(false); // DANE replaces revocation by the TLSA TTL
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            return Optional.of(chainProblem(e, anchor.below()));
        } catch (GeneralSecurityException e) {
            return Optional.of(new DaneVerdict.Failed(Cause.VALIDATION_FAILURE,
                    "the certificate chain could not be checked against the TLSA trust anchor"));
        }
    }

    private static DaneVerdict.Failed chainProblem(CertPathValidatorException e, List<X509Certificate> path) {
        int index = e.getIndex();
        if (index < 0 || index >= path.size()) {
            // the JDK names no certificate when the top one is not signed by the anchor's key
            return new DaneVerdict.Failed(Cause.VALIDATION_FAILURE, "the server's certificate chain does not lead to the"
                    + " TLSA trust anchor (an issuer name or a signature does not match)");
        }
        String which = index == 0 ? "the server's certificate" : "the chain's certificate " + subject(path.get(index));
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return new DaneVerdict.Failed(Cause.CERTIFICATE_EXPIRED, which + " has expired");
        }
        String what = switch (e.getReason()) {
            case CertPathValidatorException.BasicReason.NOT_YET_VALID -> " is not valid yet";
            case CertPathValidatorException.BasicReason.INVALID_SIGNATURE -> " has a signature that does not verify";
            case CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED -> " uses an algorithm too weak to trust";
            default -> " is not accepted under the TLSA trust anchor";
        };
        return new DaneVerdict.Failed(Cause.VALIDATION_FAILURE, which + what);
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static Optional<DaneVerdict.Failed> checkName(X509Certificate leaf, List<String> names) {
        for (String name : names) {
            if (HostnameMatcher.matches(leaf, name)) {
                return Optional.empty();
            }
        }
        String detail = names.size() == 1 ? HostnameMatcher.mismatch(leaf, names.getFirst())
                : HostnameMatcher.mismatch(leaf, String.join(" or ", names));
        return Optional.of(new DaneVerdict.Failed(Cause.CERTIFICATE_HOST_MISMATCH, detail));
    }
}
