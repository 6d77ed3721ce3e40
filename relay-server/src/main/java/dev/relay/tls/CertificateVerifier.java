package dev.relay.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a server's certificate chain is acceptable for a host name: a PKIX path to
 * one of the trust anchors (the JVM's default roots and/or extra CAs), every certificate of
 * the path valid at the clock's now, the leaf usable for TLS servers (extended key usage), and
 * the leaf valid for the host name ({@link HostnameMatcher}). Revocation is not checked (no
 * OCSP/CRL fetches from a mail relay). Thread-safe.
 *
 * <p>The chain is checked after the handshake, from what the TLS session recorded, so the
 * verdict is the same for both TLS providers and exists even where any certificate is
 * accepted. Failures are sorted into the RFC 8460 categories: an expired certificate first
 * (it says more than "untrusted"), then an untrusted chain, then a name mismatch.
 *
 * <p>A good verdict is remembered per (chain as presented, host name) for up to
 * {@link #REVERIFY_AFTER}, and never past the moment a presented certificate expires: building
 * a PKIX path against the system's 150-odd roots costs milliseconds of CPU, more than the TLS
 * handshake itself, and every new connection to the same MX presents the same chain. Bad
 * verdicts are not remembered (they are rare, and time can mend some of them).
 */
public final class CertificateVerifier {

    /** How long a good verdict is reused before the chain is checked again from scratch. */
    static final Duration REVERIFY_AFTER = Duration.ofMinutes(10);

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final Set<X509Certificate> anchorCertificates;
    private final Clock clock;
    private final Cache<Presented, Window> verified = Caffeine.newBuilder().maximumSize(10_000).build();
    private final AtomicLong pathsBuilt = new AtomicLong();

    /** A chain as a server presented it, for a host name. */
    private record Presented(List<X509Certificate> chain, String host) {}

    /** When a good verdict holds: from its check (a clock set back voids it) until {@code until}. */
    private record Window(Instant from, Instant until) {
        boolean covers(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }

    private CertificateVerifier(Set<X509Certificate> roots, Clock clock) {
        this.anchorCertificates = Set.copyOf(roots);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate root : roots) {
            set.add(new TrustAnchor(root, null));
        }
        this.anchors = Set.copyOf(set);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param systemRoots whether the JVM's default trust store counts
     * @param extraRoots further CAs (from {@code delivery.tls.extra-trust})
     */
    public static CertificateVerifier create(boolean systemRoots, List<X509Certificate> extraRoots, Clock clock) {
        Set<X509Certificate> roots = new LinkedHashSet<>();
        if (systemRoots) {
            roots.addAll(systemRoots());
        }
        roots.addAll(extraRoots);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors: neither system roots nor extra trust");
        }
        return new CertificateVerifier(roots, clock);
    }

    /** How many roots are trusted (for the startup log). */
    public int anchorCount() {
        return anchors.size();
    }

    /**
     * The verdict on a chain as the server presented it (leaf first; order of the rest free).
     *
     * @param host the MX host name that was contacted
     */
    public CertificateVerdict verify(List<X509Certificate> presented, String host) {
        if (presented.isEmpty()) {
            return CertificateVerdict.failed(TlsProblem.VALIDATION_FAILURE, "the server presented no certificate");
        }
        Instant now = clock.instant();
        Presented key = new Presented(List.copyOf(presented), host);
        Window window = verified.getIfPresent(key);
        if (window != null && window.covers(now)) {
            return CertificateVerdict.verified();
        }
        CertificateVerdict verdict = check(presented, host, now);
        if (verdict.isVerified()) {
            Instant until = now.plus(REVERIFY_AFTER);
            for (X509Certificate certificate : presented) {
                Instant notAfter = certificate.getNotAfter().toInstant();
                until = notAfter.isBefore(until) ? notAfter : until;
            }
            verified.put(key, new Window(now, until));
        }
        return verdict;
    }

    /** PKIX paths built so far (each a few milliseconds of CPU); for tests of the memory of good verdicts. */
    long pathsBuilt() {
        return pathsBuilt.get();
    }

    private CertificateVerdict check(List<X509Certificate> presented, String host, Instant now) {
        X509Certificate leaf = presented.getFirst();
        CertificateVerdict validity = checkValidity(List.of(leaf), now);
        if (!validity.isVerified()) {
            return validity;
        }
        if (!trusted(leaf, presented, now)) {
            // servers often send extra certificates (an old cross-signature) that no path needs:
            // only when no path exists does an expired one explain the failure
            CertificateVerdict chainValidity = checkValidity(presented, now);
            return chainValidity.isVerified()
                    ? CertificateVerdict.failed(TlsProblem.CERTIFICATE_NOT_TRUSTED, "no trusted path from certificate "
                            + subject(leaf) + " issued by '" + leaf.getIssuerX500Principal().getName() + "'")
                    : chainValidity;
        }
        if (!usableForServers(leaf)) {
            return CertificateVerdict.failed(TlsProblem.VALIDATION_FAILURE,
                    "certificate " + subject(leaf) + " is not meant for TLS servers (extended key usage)");
        }
        if (!HostnameMatcher.matches(leaf, host)) {
            return CertificateVerdict.failed(TlsProblem.CERTIFICATE_HOST_MISMATCH, HostnameMatcher.mismatch(leaf, host));
        }
        return CertificateVerdict.verified();
    }

    private static CertificateVerdict checkValidity(List<X509Certificate> presented, Instant now) {
        Date date = Date.from(now);
        for (X509Certificate certificate : presented) {
            try {
                certificate.checkValidity(date);
            } catch (CertificateExpiredException e) {
                return CertificateVerdict.failed(TlsProblem.CERTIFICATE_EXPIRED, "certificate " + subject(certificate)
                        + " expired at " + certificate.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                return CertificateVerdict.failed(TlsProblem.VALIDATION_FAILURE, "certificate " + subject(certificate)
                        + " is not valid before " + certificate.getNotBefore().toInstant());
            }
        }
        return CertificateVerdict.verified();
    }

    private boolean trusted(X509Certificate leaf, List<X509Certificate> presented, Instant now) {
        if (anchorCertificates.contains(leaf)) {
            return true; // pinned through extra-trust: a path of length zero
        }
        pathsBuilt.incrementAndGet();
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(presented)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
            return true;
        } catch (CertPathBuilderException e) {
            return false;
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            // anchors are never empty and PKIX is always there: a broken JVM, not a bad peer
            throw new IllegalStateException("PKIX path building is unavailable", e);
        }
    }

    private static boolean usableForServers(X509Certificate leaf) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            return usages == null || usages.contains(SERVER_AUTH) || usages.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }

    private static List<X509Certificate> systemRoots() {
        try {
            return SystemRoots.read();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust store cannot be read", e);
        }
    }
}
