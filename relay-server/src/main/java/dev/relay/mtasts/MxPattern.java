package dev.relay.mtasts;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code mx} value of an MTA-STS policy: a host name, or {@code *.} and a domain that stands
 * for exactly one more leftmost label (RFC 8461 section 4.1). Held normalized: lower case, no
 * trailing dot, A-labels only.
 *
 * <p>A value that is an IPv4 address in form ({@code 192.0.2.1}) is a valid RFC 5321 domain
 * syntactically, so it parses; it matches nothing, since an address-literal host never matches.
 */
public record MxPattern(String pattern) {

    private static final String WILDCARD = "*.";

    public MxPattern {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.equals(normalizedOrEmpty(pattern))) {
            throw new IllegalArgumentException("not a normalized MX pattern: " + pattern);
        }
    }

    /**
     * The pattern an {@code mx} value spells, or empty when it is none: anything but LDH labels
     * in A-labels (letters, digits, hyphens inside; 1 to 63 octets each, 253 in all) after an
     * optional {@code *.}. Case is folded and one trailing dot dropped. Refused: U-labels,
     * underscores, empty labels, a {@code *} anywhere but as the whole leftmost label, spaces.
     */
    public static Optional<MxPattern> parse(String text) {
        String normalized = normalizedOrEmpty(text);
        return normalized.isEmpty() ? Optional.empty() : Optional.of(new MxPattern(normalized));
    }

    /** Whether this is a {@code *.} pattern. */
    public boolean isWildcard() {
        return pattern.startsWith(WILDCARD);
    }

    /**
     * Whether an MX host name matches: case-insensitive, one trailing dot ignored, a U-label host
     * compared in its A-label form, {@code *.example.com} standing for exactly one whole
     * label of letters, digits and inner hyphens ({@code a.example.com}, never {@code example.com},
     * {@code a.b.example.com} nor {@code a_b.example.com}). An IP
     * address (bare or bracketed) never matches: MTA-STS names hosts, not addresses.
     */
    public boolean matches(String host) {
        Optional<String> name = HostNames.comparable(host);
        if (name.isEmpty()) {
            return false;
        }
        String candidate = name.get();
        if (!isWildcard()) {
            return candidate.equals(pattern);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (!candidate.endsWith(suffix)) {
            return false;
        }
        // exactly one more label, and a valid one: "a_b" or "a b" is no host name, so no match
        return HostNames.isLdhLabel(candidate.substring(0, candidate.length() - suffix.length()));
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** The normalized pattern, or "" when the text is not one. */
    private static String normalizedOrEmpty(String text) {
        if (text == null) {
            return "";
        }
        String s = text.toLowerCase(Locale.ROOT);
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        String domain = s.startsWith(WILDCARD) ? s.substring(WILDCARD.length()) : s;
        return HostNames.isLdhName(domain) ? s : "";
    }
}
