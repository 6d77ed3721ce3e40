package dev.relay.dns;

/**
 * Hears of every DNS question the relay asks, for metrics ({@code relay_dns_lookups_total}).
 * Called once per record type per lookup, whether the answer came from the cache or the
 * network: {@link DnsResolver#lookupAddresses} reports an A and an AAAA. Lookups that need no
 * DNS (address literals, invalid names) are not reported. Called on resolver threads: keep it
 * quick and never throw.
 */
@FunctionalInterface
public interface DnsEvents {

    DnsEvents NONE = (type, result) -> {};

    void lookup(LookupType type, ResultKind result);

    /**
     * A DNSSEC-aware lookup ({@link DnsResolver#lookupTlsa}, {@link DnsResolver#lookupMxValidated})
     * ended with this status; cache hits count ({@code relay_dnssec_answers_total}).
     */
    default void dnssecAnswer(DnssecStatus status) {}
}
