package dev.relay.mtasts;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A valid MTA-STS policy (RFC 8461 section 3.2): what a domain asks of senders, for how long.
 * Construction refuses what no valid policy file can say: an {@code enforce} or {@code testing}
 * policy without an {@code mx}, a negative max_age or one over {@link #MAX_AGE_LIMIT}.
 *
 * @param mode   how strictly to apply it
 * @param mx     the MX patterns, in the order the file lists them, without repeats
 * @param maxAge how long a sender may cache it, from the moment it was fetched
 */
public record Policy(PolicyMode mode, List<MxPattern> mx, Duration maxAge) {

    /** The longest max_age RFC 8461 allows: 31557600 seconds, about one year. */
    @SuppressWarnings("CanonicalDuration") // in seconds, as RFC 8461 gives it
    public static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(31_557_600);

    public Policy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxAge, "maxAge");
        mx = List.copyOf(mx);
        if (mx.isEmpty() && mode != PolicyMode.NONE) {
            throw new IllegalArgumentException("a policy in mode " + mode.label() + " needs at least one mx");
        }
        if (maxAge.isNegative() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new IllegalArgumentException("max_age out of range: " + maxAge.toSeconds());
        }
    }

    /** Whether any of the policy's patterns matches the MX host name (see {@link MxPattern#matches}). */
    public boolean matchesMx(String host) {
        for (MxPattern pattern : mx) {
            if (pattern.matches(host)) {
                return true;
            }
        }
        return false;
    }

    /** The patterns comma-separated, for logs and reasons: {@code mail.example.com, *.example.net}. */
    public String mxText() {
        return mx.stream().map(MxPattern::pattern).collect(Collectors.joining(", "));
    }

    /**
     * The policy as a policy file, CRLF line ends: {@link PolicyParser#parse} of it gives this
     * policy back, without warnings.
     */
    public String toText() {
        StringBuilder text = new StringBuilder()
                .append("version: STSv1\r\n")
                .append("mode: ").append(mode.label()).append("\r\n");
        for (MxPattern pattern : mx) {
            text.append("mx: ").append(pattern.pattern()).append("\r\n");
        }
        return text.append("max_age: ").append(maxAge.toSeconds()).append("\r\n").toString();
    }
}
