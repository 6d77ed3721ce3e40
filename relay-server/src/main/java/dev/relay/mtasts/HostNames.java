package dev.relay.mtasts;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/** Host names as RFC 5321 spells them, and as matching compares them. */
final class HostNames {

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private HostNames() {}

    /**
     * Letters, digits and hyphens in dot-separated labels, no label starting or ending with
     * a hyphen, within DNS length limits. Lower-case input expected.
     */
    static boolean isLdhName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                if (!isLdhLabel(name, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
            }
        }
        return true;
    }

    /**
     * The host name lower-cased, without its trailing dot, in A-labels; empty when it is an
     * address (which never matches) or not a name at all.
     */
    static Optional<String> comparable(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String s = host.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.chars().allMatch(c -> c < 0x80)) {
            try {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        s = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || looksLikeAddress(s) || s.chars().anyMatch(c -> c <= ' ' || c == '*')) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** An IPv4 dotted quad, anything with a colon (IPv6), or an SMTP address literal. */
    static boolean looksLikeAddress(String s) {
        return s.indexOf(':') >= 0 || s.startsWith("[")
                || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static boolean isLdhLabel(String name, int start, int end) {
        int length = end - start;
        if (length < 1 || length > MAX_LABEL_LENGTH
                || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** How a host or domain name is shown in reasons: stripped, lower case, no trailing dot. */
    static String display(String name) {
        String s = name.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
