package dev.relay.dsn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text that goes into header fields and the human part: reasons come from remote servers and
 * clients, so nothing reaches the message unsanitised. No CR, LF or other controls survive;
 * outside SMTPUTF8 nothing but US-ASCII does either; and every line stays within RFC 5322's
 * 998 octets, folded at spaces (about 78 where the words allow).
 */
final class FieldText {
    private FieldText() {}

    static final String CRLF = "\r\n";
    /** Where folding and wrapping aim. */
    static final int SOFT_LIMIT = 78;
    /** A word is split only past this many octets, far below the 998 hard limit. */
    static final int WORD_LIMIT = 900;

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    /** RFC 5322 date-time in UTC, e.g. {@code Thu, 1 Jan 2026 00:00:00 +0000}. */
    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /**
     * Controls (CR and LF included) become spaces, runs of white space one space; without
     * {@code utf8}, each non-ASCII character becomes {@code \x{HEX}} (RFC 6533 embedded-unicode),
     * so the information survives in 7-bit text.
     */
    static String clean(String text, boolean utf8) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u00a0') {
                space = true;
                continue;
            }
            if (space && !out.isEmpty()) {
                out.append(' ');
            }
            space = false;
            if (c < 0x80) {
                out.append((char) c);
            } else if (!utf8) {
                out.append("\\x{").append(Integer.toHexString(c).toUpperCase(Locale.ROOT)).append('}');
            } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                out.append('?'); // a lone surrogate has no UTF-8 form
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    /** Whether the text has anything beyond US-ASCII. */
    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    /** Appends {@code Name: value} CRLF, the value cleaned and folded at spaces. */
    static void field(StringBuilder out, String name, String value, boolean utf8) {
        List<String> lines = wrap(clean(value, utf8), SOFT_LIMIT, name.length() + 2);
        out.append(name).append(':');
        for (int i = 0; i < lines.size(); i++) {
            // a fold is CRLF before existing white space: unfolding gives the value back
            out.append(i == 0 ? " " : CRLF + " ").append(lines.get(i));
        }
        out.append(CRLF);
    }

    /**
     * Splits cleaned text into lines of about {@code width} characters at spaces; the first line
     * has {@code firstIndent} fewer. A word over {@link #WORD_LIMIT} octets is cut, so no line
     * can outgrow the hard limit.
     */
    static List<String> wrap(String cleaned, int width, int firstIndent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int room = width - firstIndent;
        for (String word : words(cleaned)) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > room) {
                lines.add(line.toString());
                line.setLength(0);
                room = width - 1;
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty() || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static List<String> words(String cleaned) {
        List<String> words = new ArrayList<>();
        for (String word : cleaned.split(" ", -1)) {
            if (word.isEmpty()) {
                continue;
            }
            while (octets(word) > WORD_LIMIT) {
                int cut = cutPoint(word);
                words.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            words.add(word);
        }
        return words;
    }

    private static int cutPoint(String word) {
        int octets = 0;
        int i = 0;
        while (i < word.length()) {
            int c = word.codePointAt(i);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (octets + size > WORD_LIMIT) {
                break;
            }
            octets += size;
            i += Character.charCount(c);
        }
        return i;
    }

    static int octets(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
