package dev.relay.dns;

import java.util.List;
import java.util.Objects;

/**
 * What DNS says about where a domain's mail goes. A DNS failure is never confused with an
 * answer: only {@link TemporaryFailure} means "we could not find out".
 */
public sealed interface MxResult {

    /**
     * The domain's MX hosts, sorted by preference; hosts of equal preference are in random order
     * (RFC 5321 5.1), drawn afresh on every lookup so load spreads even when the answer is cached.
     * Never empty.
     */
    record Hosts(List<MxHost> hosts) implements MxResult {
        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("no MX hosts");
            }
        }
    }

    /** The domain publishes a null MX ({@code 0 .}, RFC 7505): it accepts no mail at all. */
    record NullMx() implements MxResult {}

    /**
     * The domain exists but has no MX records (or is an address literal): the domain itself is
     * the implicit MX (RFC 5321 5.1), so look up its addresses.
     */
    record NoMx() implements MxResult {}

    /** NXDOMAIN: the domain does not exist (or is not a valid domain name at all). */
    record NoSuchDomain() implements MxResult {}

    /** SERVFAIL, REFUSED, timeout, network error or a broken answer: try again later. */
    record TemporaryFailure(String reason) implements MxResult {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
