package dev.relay.tls;

/**
 * Why outbound TLS did not meet its requirement, named as RFC 8460 (TLS reporting) names
 * its result types, so that the same value can feed TLS reports, metrics and logs.
 */
public enum TlsProblem {
    /** The server did not offer STARTTLS, or refused the command. */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    /** The certificate is not valid for the MX host name that was contacted. */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    /** The certificate (or one in its chain) has expired. */
    CERTIFICATE_EXPIRED("certificate-expired"),
    /** The chain does not lead to a trusted root. */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** DANE: no usable TLSA record of the host matches the certificate chain it presented. */
    TLSA_INVALID("tlsa-invalid"),
    /** Anything else: a failed handshake, an unusable certificate, a certificate not valid yet. */
    VALIDATION_FAILURE("validation-failure");

    private final String resultType;

    TlsProblem(String resultType) {
        this.resultType = resultType;
    }

    /** The RFC 8460 result-type string, e.g. {@code certificate-host-mismatch}. */
    public String resultType() {
        return resultType;
    }
}
