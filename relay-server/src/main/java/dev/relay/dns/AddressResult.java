package dev.relay.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** The A and AAAA records of one host, asked together. */
public sealed interface AddressResult {

    /**
     * The host's addresses in connection order (see {@link AddressOrder}); each carries the host
     * name that was looked up, so {@link InetAddress#getHostName()} never triggers a reverse
     * lookup. Never empty.
     */
    record Addresses(List<InetAddress> addresses) implements AddressResult {
        public Addresses {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no addresses");
            }
        }
    }

    /** NXDOMAIN: the host name does not exist (or is not a valid domain name at all). */
    record NoSuchDomain() implements AddressResult {}

    /** The name exists but has neither A nor AAAA records. */
    record NoAddresses() implements AddressResult {}

    /**
     * No address found and at least one of the two questions failed (SERVFAIL, timeout, ...):
     * try again later.
     */
    record TemporaryFailure(String reason) implements AddressResult {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
