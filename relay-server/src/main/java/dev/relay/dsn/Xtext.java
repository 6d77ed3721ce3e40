package dev.relay.dsn;

import java.nio.charset.StandardCharsets;

/** RFC 3461 section 4 xtext, for DSN fields whose decoded value would not be plain text. */
final class Xtext {
    private Xtext() {}

    /** The value itself when it is printable US-ASCII without spaces; its xtext form otherwise. */
    static String printableOrEncoded(String value) {
        return value.chars().allMatch(c -> c > ' ' && c < 0x7f) ? value : encode(value);
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
