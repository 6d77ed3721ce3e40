package dev.relay.text;

import java.time.Duration;

/**
 * Durations as a mail admin writes them in the configuration ({@code 30s}, {@code 1h30m}),
 * never Java's {@code PT30S}: for log lines, command output and messages about config values.
 */
public final class Durations {
    private Durations() {}

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
