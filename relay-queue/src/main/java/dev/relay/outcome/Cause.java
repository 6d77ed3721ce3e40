package dev.relay.outcome;

import dev.relay.label.DashedLabel;
import java.util.Optional;

/**
 * Why an attempt did not deliver, as one typed fact. The TLS causes are RFC 8460's result
 * types one to one (their {@link #label()}, the stored, logged and reported name, is the
 * result-type string), so TLS reports, metrics, logs and DSNs read them as they are. The labels
 * (the constants' names, dashed) are stored in the spool: add, never rename.
 */
public enum Cause implements DashedLabel {
    // RFC 8460 section 4.3.1: negotiation failures
    STARTTLS_NOT_SUPPORTED(Kind.TLS),
    CERTIFICATE_HOST_MISMATCH(Kind.TLS),
    CERTIFICATE_EXPIRED(Kind.TLS),
    CERTIFICATE_NOT_TRUSTED(Kind.TLS),
    VALIDATION_FAILURE(Kind.TLS),
    // RFC 8460 section 4.3.2: policy failures
    TLSA_INVALID(Kind.TLS),
    DNSSEC_INVALID(Kind.TLS),
    DANE_REQUIRED(Kind.TLS),
    STS_POLICY_FETCH_ERROR(Kind.TLS),
    STS_POLICY_INVALID(Kind.TLS),
    STS_WEBPKI_INVALID(Kind.TLS),

    /** Ours: an MX host that no {@code mx} pattern of the MTA-STS policy matches. */
    MX_MISMATCH(Kind.POLICY),
    /** Ours: no MX host could meet the enforced MTA-STS policy; each host's problem is listed. */
    STS_POLICY_NOT_MET(Kind.POLICY),
    /** Ours: whether the domain has an MTA-STS policy could not be found out, and nothing is cached. */
    STS_POLICY_UNAVAILABLE(Kind.POLICY),

    DNS_LOOKUP_FAILED(Kind.DNS),
    NO_SUCH_DOMAIN(Kind.DNS),
    NULL_MX(Kind.DNS),
    NO_MAIL_HOST(Kind.DNS),
    MX_HOST_UNRESOLVABLE(Kind.DNS),

    CONNECT_FAILED(Kind.CONNECTION),
    SESSION_REFUSED(Kind.CONNECTION),
    TIMED_OUT(Kind.CONNECTION),
    CONNECTION_LOST(Kind.CONNECTION),
    PROTOCOL_ERROR(Kind.CONNECTION),

    /** The server's own verdict on the recipient or the message. */
    REMOTE_REPLY(Kind.MESSAGE),
    MESSAGE_TOO_BIG(Kind.MESSAGE),
    SMTPUTF8_UNSUPPORTED(Kind.MESSAGE),
    BINARYMIME_UNSUPPORTED(Kind.MESSAGE),
    ADDRESS_NOT_SENDABLE(Kind.MESSAGE),
    /**
     * The message carries REQUIRETLS (RFC 8689) and the next hop, reached over authenticated TLS,
     * does not announce REQUIRETLS. The sender's demand, not the recipient domain's policy.
     */
    REQUIRETLS_UNSUPPORTED(Kind.MESSAGE),
    /**
     * The message carries REQUIRETLS and no MX host could be reached the way RFC 8689 section 4.2.1
     * asks: MX authenticated (MTA-STS enforce, or DNSSEC), TLS verified, REQUIRETLS announced.
     */
    REQUIRETLS_NOT_MET(Kind.MESSAGE),

    LOCAL_ERROR(Kind.LOCAL),
    /** Read from a spool written before causes were stored: only the reply is known. */
    UNCLASSIFIED(Kind.LOCAL);

    /** The families the DSN and the status page group causes by. */
    public enum Kind { TLS, POLICY, DNS, CONNECTION, MESSAGE, LOCAL }

    private final Kind kind;

    Cause(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The RFC 8460 result type, for the causes TLS reports know. */
    public Optional<String> tlsReportResultType() {
        return kind == Kind.TLS ? Optional.of(label()) : Optional.empty();
    }

    /** Whether a recipient domain's TLS policy (rather than the network or a server's verdict) held the mail. */
    public boolean isTlsPolicy() {
        return kind == Kind.TLS || kind == Kind.POLICY;
    }

    public static Optional<Cause> fromLabel(String label) {
        return DashedLabel.fromLabel(Cause.class, label);
    }
}
