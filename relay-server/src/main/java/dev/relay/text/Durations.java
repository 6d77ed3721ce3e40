package dev.relay.text;

import java.time.Duration;

/**
 * Durations as a mail admin writes them in the configuration ({@code 30s}, {@code 1h30m}),
 * never Java's {@code PT30S}: for log lines, command output and messages about config values.
 */
public final class Durations {
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Reads a duration as the configuration writes it: one or more number-unit parts
     * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 5d}); empty for anything
     * else, or one too large to hold.
     */
    public static java.util.Optional<Duration> parse(String text) {
        String s = text.strip();
        java.util.regex.Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        try {
            while (at < s.length()) {
                if (!m.find(at) || m.start() != at) {
                    return java.util.Optional.empty();
                }
                long n = Long.parseLong(m.group(1));
                Duration part = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                total = total.plus(part);
                at = m.end();
            }
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            return java.util.Optional.empty();
        }
        return at == 0 ? java.util.Optional.empty() : java.util.Optional.of(total);
    }

    /** Days, hours, minutes, seconds, millis: 90 minutes is {@code 1h30m}, zero is {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        StringBuilder out = new StringBuilder();
        append(out, d.toDays(), "d");
        append(out, d.toHoursPart(), "h");
        append(out, d.toMinutesPart(), "m");
        append(out, d.toSecondsPart(), "s");
        append(out, d.toMillisPart(), "ms");
        return out.isEmpty() ? "0s" : out.toString(); // below a millisecond
    }

    private static void append(StringBuilder out, long n, String unit) {
        if (n != 0) {
            out.append(n).append(unit);
        }
    }
}
