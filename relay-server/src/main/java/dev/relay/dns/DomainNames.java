package dev.relay.dns;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Text to DNS names and address literals, without ever asking the JVM's resolver. */
final class DomainNames {

    private DomainNames() {}

    /**
     * An IPv4 dotted quad or an IPv6 address, bare or as an SMTP address literal
     * ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}); the result carries the literal as its
     * host name so nothing ever reverse-resolves it.
     */
    static Optional<InetAddress> addressLiteral(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
            if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
                s = s.substring(5);
            }
        }
        byte[] bytes = Address.toByteArray(s, Address.IPv4);
        if (bytes == null && s.indexOf(':') >= 0) {
            bytes = Address.toByteArray(s, Address.IPv6);
        }
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(s, bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong byte count, which toByteArray never gives
        }
    }

    /**
     * An absolute DNS name, or empty when the text cannot be one (empty, the root, bracketed,
     * a label over 63 octets, over 255 in all). Non-ASCII names become A-labels.
     */
    static Optional<Name> parse(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.equals(".") || s.indexOf('[') >= 0 || s.indexOf(']') >= 0
                || s.indexOf('\\') >= 0 || s.chars().anyMatch(c -> c <= ' ')) {
            return Optional.empty();
        }
        try {
            if (!s.chars().allMatch(c -> c < 0x80)) {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            }
            return Optional.of(Name.fromString(s, Name.root));
        } catch (TextParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Lower case, no trailing dot: how names leave this package. */
    static String display(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
