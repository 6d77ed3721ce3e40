package dev.relay.config;

import dev.relay.text.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and durations as written in the configuration.
 *
 * <p>Sizes: a whole number of bytes, or a number with a unit {@code KB}, {@code MB},
 * {@code GB}, {@code TB} (any case; {@code K}, {@code KiB} and friends are synonyms). Units are
 * binary, 1 KB = 1024 bytes, as mail software has always counted message sizes.
 *
 * <p>Durations: one or more number-unit pairs, units {@code ms}, {@code s}, {@code m},
 * {@code h}, {@code d} in lower case ({@code 30s}, {@code 5m}, {@code 1h30m}). A bare number
 * is refused: nobody can tell whether it meant seconds or minutes.
 */
final class Units {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> SIZE_UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("kb", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("m", 1L << 20), Map.entry("mb", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("g", 1L << 30), Map.entry("gb", 1L << 30), Map.entry("gib", 1L << 30),
            Map.entry("t", 1L << 40), Map.entry("tb", 1L << 40), Map.entry("tib", 1L << 40));

    static final String SIZE_HINT = "expected a size like 50MB, 10KB, 1GB or a number of bytes";
    static final String DURATION_HINT = "expected a duration like 500ms, 30s, 5m, 1h or 5d";

    private Units() {}

    /** @throws IllegalArgumentException with a message for the user */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(SIZE_HINT);
        }
        Long unit = SIZE_UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new IllegalArgumentException("unknown size unit \"" + m.group(2) + "\"; " + SIZE_HINT);
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    /** @throws IllegalArgumentException with a message for the user */
    static Duration parseDuration(String text) {
        return dev.relay.text.Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(DURATION_HINT));
    }

    /** The shortest exact form: 52428800 is {@code 50MB}, 1000 stays {@code 1000}. */
    static String formatSize(long bytes) {
        String[] names = {"TB", "GB", "MB", "KB"};
        long[] units = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < names.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return bytes / units[i] + names[i];
            }
        }
        return Long.toString(bytes);
    }

    /** Days, hours, minutes, seconds, millis: 90 minutes is {@code 1h30m}, zero is {@code 0s}. */
    static String formatDuration(Duration d) {
        return Durations.format(d);
    }
}
