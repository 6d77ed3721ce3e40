package dev.relay.tls;

/**
 * How much TLS one outbound SMTP connection insists on. The caller picks the level per
 * destination (no policy: {@link #OPPORTUNISTIC}; an MTA-STS policy in enforce mode:
 * {@link #REQUIRED_VERIFIED}).
 */
public enum TlsRequirement {
    /**
     * STARTTLS whenever the server offers it, any certificate accepted (the verdict is still
     * recorded); plain text when it is not offered or the server refuses it.
     */
    OPPORTUNISTIC,
    /** STARTTLS must be offered and succeed; any certificate is accepted. */
    REQUIRED,
    /**
     * STARTTLS must succeed with a certificate that chains to a trusted root (the system's plus
     * {@code delivery.tls.extra-trust}) and is valid for the MX host name contacted (RFC 6125, a SAN
     * DNS-ID only: RFC 8461 section 4.2 leaves no subject CN fallback).
     */
    REQUIRED_VERIFIED;

    /** Whether a connection without TLS must be given up. */
    public boolean requiresTls() {
        return this != OPPORTUNISTIC;
    }

    /** Whether a connection whose certificate fails verification must be given up. */
    public boolean requiresVerifiedCertificate() {
        return this == REQUIRED_VERIFIED;
    }
}
