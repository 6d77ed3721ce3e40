package dev.relay.settings;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP network such as {@code 127.0.0.0/8} or {@code ::1/128}, as listed in
 * {@code relay-networks}. A bare address is a network of one. Parsing never asks DNS.
 *
 * @param network the first address of the network (host bits zero)
 * @param prefixLength the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0-" + bits);
        }
    }

    /**
     * Parses {@code address/prefix} or a bare address.
     *
     * @throws IllegalArgumentException with a one-line explanation for the user
     */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addressText = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = IpLiteral.parse(addressText).orElseThrow(() -> new IllegalArgumentException(
                "expected a network like 10.0.0.0/8 or fd00::/8, got \"" + text + "\" (\"" + addressText
                        + "\" is not an IP address)"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = s.substring(slash + 1);
            if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("expected a prefix length after \"/\", got \"" + text + "\"");
            }
            prefix = Integer.parseInt(prefixText);
            if (prefix > bits) {
                throw new IllegalArgumentException("prefix length " + prefix + " is longer than the "
                        + bits + " bits of " + (address instanceof Inet4Address ? "IPv4" : "IPv6")
                        + " in \"" + text + "\"");
            }
        }
        Cidr network = new Cidr(mask(address, prefix), prefix);
        if (!network.network().equals(address)) {
            // a typo more often than intent: say what it would mean instead of guessing
            throw new IllegalArgumentException("\"" + text + "\" has host bits set; did you mean " + network + "?");
        }
        return network;
    }

    /** Whether the address lies in this network; an IPv4 address never lies in an IPv6 one. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        return a.length == n.length && mask(address, prefixLength).equals(network);
    }

    /** Whether this network holds every address of its family (0.0.0.0/0 or ::/0). */
    public boolean isEverything() {
        return prefixLength == 0;
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("address of length " + bytes.length, e);
        }
    }

    @Override
    public String toString() {
        return IpLiteral.format(network) + "/" + prefixLength;
    }
}
