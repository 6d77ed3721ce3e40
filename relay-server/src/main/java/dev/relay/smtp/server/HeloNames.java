package dev.relay.smtp.server;

import io.netty.util.NetUtil;

/**
 * Which EHLO/HELO arguments we take: a domain name in ASCII, or an address literal that holds a
 * valid address ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}). Lenient where real clients
 * commonly differ from RFC 5321 without harm (underscores in labels, a bare IPv4 or IPv6 address
 * without brackets), strict about the rest: the name lands in the Received field and the logs, and
 * a non-ASCII or malformed name there is either a broken client or one probing our parsers.
 */
final class HeloNames {
    private static final int MAX = 255;
    private static final int MAX_LABEL = 63;

    private HeloNames() {}

    static boolean acceptable(String name) {
        if (name.isEmpty() || name.length() > MAX) {
            return false;
        }
        if (name.startsWith("[")) {
            return addressLiteral(name);
        }
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            return true; // Windows and embedded clients send their bare address
        }
        // one trailing dot is the absolute form of the same name
        return domain(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
    }

    /** "[" IPv4 "]" or "[IPv6:" IPv6 "]"; general address literals name nothing a client has. */
    private static boolean addressLiteral(String name) {
        if (!name.endsWith("]") || name.length() < 3) {
            return false;
        }
        String inner = name.substring(1, name.length() - 1);
        return NetUtil.isValidIpV4Address(inner)
                || (inner.regionMatches(true, 0, "IPv6:", 0, 5) && NetUtil.isValidIpV6Address(inner.substring(5)));
    }

    /** Dot-separated labels of ASCII letters, digits, hyphens and underscores; no hyphen at either end. */
    private static boolean domain(String name) {
        if (name.isEmpty()) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                if (!label(name, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
                continue;
            }
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean label(String name, int from, int to) {
        int length = to - from;
        return length >= 1 && length <= MAX_LABEL && name.charAt(from) != '-' && name.charAt(to - 1) != '-';
    }
}
