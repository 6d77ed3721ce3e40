package dev.relay.smtp.server;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Locale;

/**
 * Which domains of an address the relay will deliver to, or send a bounce to. An address literal
 * ({@code user@[192.0.2.7]}) that is this host (a loopback, an unspecified or multicast address,
 * or an address of one of its interfaces) would loop back to the relay itself or go nowhere; an
 * all-numeric domain ({@code user@198.51.100.7}) is no domain name at all (no top-level domain is
 * a number). Other literals are taken only when {@code limits.address-literal-recipients} is on.
 */
final class AddressDomains {

    enum Verdict {
        /** A domain name, or a literal of another host while literals are allowed. */
        DELIVERABLE,
        /** A literal naming this host, or no host at all. */
        LOCAL_LITERAL,
        /** A literal of another host, while literals are not allowed. */
        LITERAL_REFUSED,
        /** An all-numeric domain. */
        NUMERIC_DOMAIN
    }

    private AddressDomains() {}

    /**
     * @param domain a parsed {@link Mailbox#domain()}: a domain without trailing dot, or an
     *     address literal with its brackets (empty for {@code <Postmaster>})
     * @param local the address the client connected to (this host, whatever its interfaces say)
     */
    static Verdict judge(String domain, boolean literalsAllowed, InetAddress local) {
        if (domain.startsWith("[")) {
            InetAddress address = literalAddress(domain);
            if (address == null || isThisHostOrNone(RelayNetworks.unmapped(address), local)) {
                return Verdict.LOCAL_LITERAL;
            }
            return literalsAllowed ? Verdict.DELIVERABLE : Verdict.LITERAL_REFUSED;
        }
        int dot = domain.lastIndexOf('.');
        String top = domain.substring(dot + 1);
        if (!top.isEmpty() && top.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Verdict.NUMERIC_DOMAIN;
        }
        return Verdict.DELIVERABLE;
    }

    /** The address inside {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}; null when it is not one (the parser let only these through). */
    private static InetAddress literalAddress(String literal) {
        String inner = literal.substring(1, literal.length() - 1);
        if (inner.toLowerCase(Locale.ROOT).startsWith("ipv6:")) {
            inner = inner.substring(5);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(inner);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes); // a literal: no lookup happens
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean isThisHostOrNone(InetAddress address, InetAddress local) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                || address.equals(local)) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false; // cannot tell: the other checks stand
        }
    }
}
