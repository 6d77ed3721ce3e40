package dev.relay.dns;

import dev.relay.label.LowerCaseLabel;

/**
 * The DNSSEC status of one validated lookup (RFC 4035 section 4.3); the {@code status} label of
 * {@code relay_dnssec_answers_total}.
 */
public enum DnssecStatus implements LowerCaseLabel {
    /** Proved by signatures from a trust anchor down: records, or their absence. */
    SECURE,
    /** Proved to be outside signed DNS (or DNSSEC is off): true as far as anyone can tell. */
    INSECURE,
    /** Should be signed and is not, or not rightly: forged, broken or expired. */
    BOGUS,
    /** No answer to judge: SERVFAIL, REFUSED, timeout, network error. */
    ERROR;
}
