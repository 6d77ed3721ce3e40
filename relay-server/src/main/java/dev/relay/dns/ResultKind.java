package dev.relay.dns;

import dev.relay.label.LowerCaseLabel;

/** How one DNS question ended; the {@code result} label of {@code relay_dns_lookups_total}. */
public enum ResultKind implements LowerCaseLabel {
    /** Records of the asked type (after CNAMEs). A null MX counts as found. */
    FOUND,
    /** The name exists without records of that type. */
    NO_DATA,
    /** The name does not exist. */
    NXDOMAIN,
    /** The server answered SERVFAIL. */
    SERVFAIL,
    /** The server answered REFUSED. */
    REFUSED,
    /** No answer within the timeout from any server. */
    TIMEOUT,
    /** Anything else: network errors, other response codes, malformed answers, CNAME loops. */
    ERROR,
    /**
     * DNSSEC validation failed (RFC 4035 section 4.3): signatures missing, expired or wrong
     * under a trust anchor. Only validating lookups give it.
     */
    BOGUS;

    /** True for the kinds that say nothing about the name: retry later. */
    public boolean isTemporary() {
        return switch (this) {
            case FOUND, NO_DATA, NXDOMAIN -> false;
            case SERVFAIL, REFUSED, TIMEOUT, ERROR, BOGUS -> true;
        };
    }
}
