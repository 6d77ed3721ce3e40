package dev.relay.mtasts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax layer of a policy file: lines to {@code key: value} fields, per the ABNF of RFC 8461
 * section 3.2 with erratum 6253 (LF or CRLF). Meaning is {@link PolicyParser}'s job.
 *
 * @param single     version, mode and max_age: the first occurrence of each (later ones are
 *                   ignored with a warning, as section 3.2 says)
 * @param mx         every mx field, in order
 * @param extensions unknown keys and the line each first appears on, for near-miss hints
 * @param warnings   what was tolerated
 * @param malformed  the reason the file is not a policy at all, if it is not
 */
record PolicyFields(Map<String, Field> single, List<Field> mx, Map<String, Integer> extensions,
        List<String> warnings, Optional<String> malformed) {

    static final String VERSION = "version";
    static final String MODE = "mode";
    static final String MAX_AGE = "max_age";
    static final String MX = "mx";

    private static final char BOM = '\uFEFF';
    /** sts-policy-ext-name: a letter or digit, then up to 31 of letters, digits, "_", "-", ".". */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    /** One field: its value (leading and trailing white space removed) and 1-based line. */
    record Field(String value, int line) {}

    static PolicyFields read(String body) {
        Reader reader = new Reader();
        reader.read(body == null ? "" : body);
        return new PolicyFields(Map.copyOf(reader.single), List.copyOf(reader.mx),
                reader.extensions, List.copyOf(reader.warnings), reader.malformed);
    }

    /** Accumulates fields line by line; stops at the first malformed line. */
    private static final class Reader {
        private final Map<String, Field> single = new LinkedHashMap<>();
        private final List<Field> mx = new ArrayList<>();
        private final Map<String, Integer> extensions = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private Optional<String> malformed = Optional.empty();

        void read(String body) {
            String text = body;
            if (!text.isEmpty() && text.charAt(0) == BOM) {
                // Editors on Windows write one; the intent is plain and refusing would drop the policy
                warnings.add("a byte order mark before the first line was ignored");
                text = text.substring(1);
            }
            String[] lines = text.split("\n", -1);
            int last = lastNonBlank(lines);
            if (last < 0) {
                malformed = Optional.of("the policy file is empty");
                return;
            }
            for (int i = 0; i <= last && malformed.isEmpty(); i++) {
                line(Texts.withoutCr(lines[i]), i + 1);
            }
        }

        private void line(String raw, int number) {
            if (Texts.isBlank(raw)) {
                warnings.add("blank line " + number + " was ignored");
                return;
            }
            String line = Texts.stripTrailingWsp(raw);
            if (line.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                malformed = Optional.of("line " + number + " contains a control character"
                        + (line.indexOf('\r') >= 0 ? " (a CR not followed by LF)" : ""));
                return;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                malformed = Optional.of("line " + number + " is not a \"key: value\" field: " + Texts.quote(line));
                return;
            }
            String key = line.substring(0, colon);
            if (!KEY.matcher(key).matches()) {
                malformed = Optional.of(Texts.isBlank(key) || !key.equals(key.strip())
                        ? "line " + number + " has white space before the key or the colon: " + Texts.quote(line)
                        : "line " + number + " has an invalid key " + Texts.quote(key));
                return;
            }
            field(key, Texts.stripLeadingWsp(line.substring(colon + 1)), number);
        }

        private void field(String key, String value, int number) {
            switch (key) {
                case MX -> mx.add(new Field(value, number));
                case VERSION, MODE, MAX_AGE -> {
                    Field first = single.putIfAbsent(key, new Field(value, number));
                    if (first != null) {
                        warnings.add("line " + number + " repeats " + key + "; the first, on line "
                                + first.line() + ", counts");
                    }
                }
                default -> extensions.putIfAbsent(key, number);
            }
        }

        private static int lastNonBlank(String[] lines) {
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!Texts.isBlank(Texts.withoutCr(lines[i]))) {
                    return i;
                }
            }
            return -1;
        }
    }
}
