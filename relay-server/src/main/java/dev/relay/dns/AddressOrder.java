package dev.relay.dns;

/**
 * The order of a host's addresses in {@link DnsResult.Found}; within one family the
 * order is the one DNS gave.
 *
 * <p>The default is {@link #IPV4_FIRST}: a relay in a container often has no IPv6 route, and
 * mail sent over IPv6 meets stricter receivers (PTR and SPF demanded for IPv6 by the large
 * mailbox providers), so IPv4 is the safer first try. Delivery still walks every address.
 */
public enum AddressOrder {
    IPV4_FIRST,
    IPV6_FIRST
}
