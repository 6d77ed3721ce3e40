package dev.relay.tls;

import dev.relay.label.DashedLabel;

/**
 * Why outbound TLS did not meet its requirement, named as RFC 8460 (TLS reporting) names
 * its result types, so that the same value can feed TLS reports, metrics and logs.
 */
public enum TlsProblem implements DashedLabel {
    /** The server did not offer STARTTLS, or refused the command. */
    STARTTLS_NOT_SUPPORTED,
    /** The certificate is not valid for the MX host name that was contacted. */
    CERTIFICATE_HOST_MISMATCH,
    /** The certificate (or one in its chain) has expired. */
    CERTIFICATE_EXPIRED,
    /** The chain does not lead to a trusted root. */
    CERTIFICATE_NOT_TRUSTED,
    /** DANE: no usable TLSA record of the host matches the certificate chain it presented. */
    TLSA_INVALID,
    /** Anything else: a failed handshake, an unusable certificate, a certificate not valid yet. */
    VALIDATION_FAILURE;

    /** The RFC 8460 result-type string, e.g. {@code certificate-host-mismatch}: the label. */
    public String resultType() {
        return label();
    }
}
