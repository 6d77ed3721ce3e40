package dev.relay.mtasts;

import dev.relay.text.DomainForm;
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

    /** One LDH label (see {@link #isLdhName}): no dot, 1 to 63 octets, no hyphen at either end. */
    static boolean isLdhLabel(String label) {
        return isLdhLabel(label, 0, label.length());
    }

    /**
     * The host name lower-cased, without surrounding white space and its trailing dot, in
     * A-labels; empty when it is an IPv4 address (which never matches) or cannot be put in
     * A-labels. Whatever else it holds is left to the caller's comparison with LDH names, which a
     * space, a {@code *}, a colon or brackets can never pass.
     */
    static Optional<String> comparable(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String s = host.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            // an all-ASCII name comes back as it is, unless a label is too long to match anyway
            s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return looksLikeAddress(s) ? Optional.empty() : Optional.of(s);
    }

    /**
     * Digits and dots only, as an IPv4 address in text form: an {@code mx} value or MX host
     * spelled so names an address, never a host. (IPv6 and address literals are no LDH names.)
     */
    static boolean looksLikeAddress(String s) {
        return s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
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
        return DomainForm.canonical(name.strip());
    }
}
