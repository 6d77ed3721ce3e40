package dev.relay.queue.spool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The human-readable part of spool records: UTF-8 lines of {@code key: value}. Values escape
 * backslash, CR, LF and other control characters ({@code \\ \r \n \xHH}), so one field is
 * always one line and {@code strings} or {@code less} on a segment shows envelopes as text.
 */
final class TextForm {

    record Field(String key, String value) {}

    private TextForm() {}

    static final class Builder {
        // an envelope with one recipient is some 300 characters: start big enough for it
        private final StringBuilder text = new StringBuilder(512);

        Builder field(String key, String value) {
            text.append(key).append(": ");
            escapeInto(value, text);
            text.append('\n');
            return this;
        }

        Builder field(String key, long value) {
            text.append(key).append(": ").append(value).append('\n');
            return this;
        }

        byte[] toBytes() {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    static Builder builder() {
        return new Builder();
    }

    static void escapeInto(String value, StringBuilder out) {
        int plain = 0;
        while (plain < value.length() && !needsEscape(value.charAt(plain))) {
            plain++;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || c == '\\';
    }

    static String unescape(String value) throws CorruptRecordException {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= value.length()) {
                throw new CorruptRecordException("dangling escape in: " + value);
            }
            switch (value.charAt(i)) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'x' -> {
                    if (i + 2 >= value.length()) {
                        throw new CorruptRecordException("short \\x escape in: " + value);
                    }
                    int hi = Character.digit(value.charAt(i + 1), 16);
                    int lo = Character.digit(value.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        throw new CorruptRecordException("bad \\x escape in: " + value);
                    }
                    out.append((char) (hi << 4 | lo));
                    i += 2;
                }
                default -> throw new CorruptRecordException("unknown escape in: " + value);
            }
        }
        return out.toString();
    }

    static List<Field> parse(byte[] bytes, int offset, int length) throws CorruptRecordException {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        List<Field> fields = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                throw new CorruptRecordException("unterminated line at " + start);
            }
            int colon = text.indexOf(": ", start);
            if (colon < 0 || colon > end) {
                throw new CorruptRecordException("not a key: value line: " + text.substring(start, end));
            }
            fields.add(new Field(text.substring(start, colon), unescape(text.substring(colon + 2, end))));
            start = end + 1;
        }
        return fields;
    }
}
