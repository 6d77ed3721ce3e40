package dev.relay.tls;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one outbound TLS session negotiated, for logs, metrics and TLS reports.
 *
 * @param protocol e.g. {@code TLSv1.3}
 * @param cipher e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param peerSubject the server certificate's subject DN (RFC 2253), when it sent one
 * @param peerIssuer its issuer DN
 * @param peerNotAfter its expiry
 * @param verdict the relay's own verification, whatever the requirement was
 */
public record TlsDetails(
        String protocol,
        String cipher,
        Optional<String> peerSubject,
        Optional<String> peerIssuer,
        Optional<Instant> peerNotAfter,
        CertificateVerdict verdict) {

    public TlsDetails {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(peerSubject, "peerSubject");
        Objects.requireNonNull(peerIssuer, "peerIssuer");
        Objects.requireNonNull(peerNotAfter, "peerNotAfter");
        Objects.requireNonNull(verdict, "verdict");
    }

    public boolean verified() {
        return verdict.isVerified();
    }

    /** {@code TLSv1.3 with cipher TLS_AES_128_GCM_SHA256}, as Postfix words it. */
    public String summary() {
        return protocol + " with cipher " + cipher;
    }
}
