package dev.relay.outcome;

import java.util.Optional;

/**
 * Why an attempt did not deliver, as one typed fact. The TLS causes are RFC 8460's result
 * types one to one (their {@link #label()} is the result-type string), so TLS reports, metrics,
 * logs and DSNs read them as they are. The labels are stored in the spool: add, never rename.
 */
public enum Cause {
    // RFC 8460 section 4.3.1: negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported", Kind.TLS),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch", Kind.TLS),
    CERTIFICATE_EXPIRED("certificate-expired", Kind.TLS),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted", Kind.TLS),
    VALIDATION_FAILURE("validation-failure", Kind.TLS),
    // RFC 8460 section 4.3.2: policy failures
    TLSA_INVALID("tlsa-invalid", Kind.TLS),
    DNSSEC_INVALID("dnssec-invalid", Kind.TLS),
    DANE_REQUIRED("dane-required", Kind.TLS),
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error", Kind.TLS),
    STS_POLICY_INVALID("sts-policy-invalid", Kind.TLS),
    STS_WEBPKI_INVALID("sts-webpki-invalid", Kind.TLS),

    /** Ours: an MX host that no {@code mx} pattern of the MTA-STS policy matches. */
    MX_MISMATCH("mx-mismatch", Kind.POLICY),
    /** Ours: no MX host could meet the enforced MTA-STS policy; each host's problem is listed. */
    STS_POLICY_NOT_MET("sts-policy-not-met", Kind.POLICY),
    /** Ours: whether the domain has an MTA-STS policy could not be found out, and nothing is cached. */
    STS_POLICY_UNAVAILABLE("sts-policy-unavailable", Kind.POLICY),

    DNS_LOOKUP_FAILED("dns-lookup-failed", Kind.DNS),
    NO_SUCH_DOMAIN("no-such-domain", Kind.DNS),
    NULL_MX("null-mx", Kind.DNS),
    NO_MAIL_HOST("no-mail-host", Kind.DNS),
    MX_HOST_UNRESOLVABLE("mx-host-unresolvable", Kind.DNS),

    CONNECT_FAILED("connect-failed", Kind.CONNECTION),
    SESSION_REFUSED("session-refused", Kind.CONNECTION),
    TIMED_OUT("timed-out", Kind.CONNECTION),
    CONNECTION_LOST("connection-lost", Kind.CONNECTION),
    PROTOCOL_ERROR("protocol-error", Kind.CONNECTION),

    /** The server's own verdict on the recipient or the message. */
    REMOTE_REPLY("remote-reply", Kind.MESSAGE),
    MESSAGE_TOO_BIG("message-too-big", Kind.MESSAGE),
    SMTPUTF8_UNSUPPORTED("smtputf8-unsupported", Kind.MESSAGE),
    BINARYMIME_UNSUPPORTED("binarymime-unsupported", Kind.MESSAGE),
    ADDRESS_NOT_SENDABLE("address-not-sendable", Kind.MESSAGE),
    /**
     * The message carries REQUIRETLS (RFC 8689) and the next hop, reached over authenticated TLS,
     * does not announce REQUIRETLS. The sender's demand, not the recipient domain's policy.
     */
    REQUIRETLS_UNSUPPORTED("requiretls-unsupported", Kind.MESSAGE),
    /**
     * The message carries REQUIRETLS and no MX host could be reached the way RFC 8689 section 4.2.1
     * asks: MX authenticated (MTA-STS enforce, or DNSSEC), TLS verified, REQUIRETLS announced.
     */
    REQUIRETLS_NOT_MET("requiretls-not-met", Kind.MESSAGE),

    LOCAL_ERROR("local-error", Kind.LOCAL),
    /** Read from a spool written before causes were stored: only the reply is known. */
    UNCLASSIFIED("unclassified", Kind.LOCAL);

    /** The families the DSN and the status page group causes by. */
    public enum Kind { TLS, POLICY, DNS, CONNECTION, MESSAGE, LOCAL }

    private final String label;
    private final Kind kind;

    Cause(String label, Kind kind) {
        this.label = label;
        this.kind = kind;
    }

    /** The stored, logged and reported name, e.g. {@code certificate-expired}. */
    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    /** The RFC 8460 result type, for the causes TLS reports know. */
    public Optional<String> tlsReportResultType() {
        return kind == Kind.TLS ? Optional.of(label) : Optional.empty();
    }

    /** Whether a recipient domain's TLS policy (rather than the network or a server's verdict) held the mail. */
    public boolean isTlsPolicy() {
        return kind == Kind.TLS || kind == Kind.POLICY;
    }

    public static Optional<Cause> fromLabel(String label) {
        for (Cause cause : values()) {
            if (cause.label.equals(label)) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }
}
