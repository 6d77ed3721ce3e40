package dev.relay.smtp.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** RFC 3461 section 4: xtext = *( xchar / hexchar ), hexchar = "+" 2HEXDIG. */
final class Xtext {
    private Xtext() {}

    /** Decodes xtext; empty when {@code text} is not valid xtext. */
    static Optional<String> decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                if (i + 2 >= text.length()) {
                    return Optional.empty();
                }
                int high = hex(text.charAt(i + 1));
                int low = hex(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                out.write(high << 4 | low);
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out.write(c);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }

    private static int hex(char c) {
        // RFC 3461 asks for upper case; accepting lower case costs nothing
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
