package dev.relay.smtp.server;

import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parses an RFC 5321 Reverse-path or Forward-path ({@code <...>}) at a position in a command
 * argument. Grammar (RFC 5321 4.1.2, extended by RFC 6531 for UTF-8):
 *
 * <pre>
 * Path          = "&lt;" [ A-d-l ":" ] Mailbox "&gt;"     ; the source route A-d-l is parsed and ignored
 * Mailbox       = Local-part "@" ( Domain / address-literal )
 * Local-part    = Dot-string / Quoted-string
 * </pre>
 *
 * Non-ASCII is parsed everywhere UTF-8 is allowed and reported, so the caller can decide after
 * reading the SMTPUTF8 parameter, which comes after the path.
 */
final class PathParser {
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_PATH = 256;
    private static final int MAX_LABEL = 63;

    private PathParser() {}

    /** A parsed path; {@code mailbox} empty for the null path {@code <>}. */
    record Parsed(Optional<Mailbox> mailbox, int end, boolean nonAscii) {}

    /** Returns the path starting at {@code from} (which must hold '<'), or empty if it is malformed. */
    static Optional<Parsed> parse(String text, int from) {
        return new Cursor(text, from).path();
    }

    private static final class Cursor {
        private final String text;
        private final int start;
        private int pos;
        private boolean nonAscii;

        Cursor(String text, int from) {
            this.text = text;
            this.start = from;
            this.pos = from;
        }

        Optional<Parsed> path() {
            if (!take('<')) {
                return Optional.empty();
            }
            if (take('>')) {
                return Optional.of(new Parsed(Optional.empty(), pos, false));
            }
            if (peek() == '@' && !sourceRoute()) {
                return Optional.empty();
            }
            Optional<String> local = localPart();
            if (local.isEmpty()) {
                return Optional.empty();
            }
            String domain;
            if (take('@')) {
                Optional<String> parsed = peek() == '[' ? addressLiteral() : domain(true);
                if (parsed.isEmpty()) {
                    return Optional.empty();
                }
                domain = parsed.get();
            } else if (local.get().equalsIgnoreCase("postmaster")) {
                domain = ""; // RFC 5321 4.1.1.3: <Postmaster> without domain must be understood
            } else {
                return Optional.empty();
            }
            if (!take('>')) {
                return Optional.empty();
            }
            // RFC 5321 4.5.3.1.2's 255 octets for the domain need no check: the path around it holds 256
            if (utf8Length(local.get()) > MAX_LOCAL_PART || utf8Length(text.substring(start, pos)) > MAX_PATH) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(Optional.of(new Mailbox(local.get(), domain)), pos, nonAscii));
        }

        /** A-d-l ":" -- accepted for compatibility (RFC 5321 4.1.1.3, appendix C) and ignored. */
        private boolean sourceRoute() {
            do {
                if (!take('@') || domain(false).isEmpty()) {
                    return false;
                }
            } while (take(','));
            return take(':');
        }

        private Optional<String> localPart() {
            return peek() == '"' ? quotedString() : dotString();
        }

        private Optional<String> dotString() {
            int begin = pos;
            do {
                int atomStart = pos;
                while (pos < text.length() && isAtext(text.charAt(pos))) {
                    pos++;
                }
                if (pos == atomStart) {
                    return Optional.empty();
                }
            } while (take('.'));
            return Optional.of(text.substring(begin, pos));
        }

        private Optional<String> quotedString() {
            int begin = pos;
            take('"');
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return Optional.of(text.substring(begin, pos));
                }
                if (c == '\\') {
                    // quoted-pairSMTP = %d92 %d32-126
                    if (pos + 1 >= text.length() || text.charAt(pos + 1) < 32 || text.charAt(pos + 1) > 126) {
                        return Optional.empty();
                    }
                    pos += 2;
                } else if ((c >= 32 && c <= 126) || c >= 0xA0) { // UTF-8 past the C1 controls
                    // qtextSMTP = %d32-33 / %d35-91 / %d93-126 (quote and backslash handled above)
                    noteNonAscii(c);
                    pos++;
                } else {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        /**
         * Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (or a U-label).
         * One trailing dot is tolerated and dropped when {@code allowTrailingDot}.
         */
        private Optional<String> domain(boolean allowTrailingDot) {
            int begin = pos;
            while (true) {
                int labelStart = pos;
                while (pos < text.length() && isLdh(text.charAt(pos))) {
                    noteNonAscii(text.charAt(pos));
                    pos++;
                }
                int length = pos - labelStart;
                if (length == 0 || length > MAX_LABEL
                        || text.charAt(labelStart) == '-' || text.charAt(pos - 1) == '-') {
                    return Optional.empty();
                }
                if (!take('.')) {
                    return Optional.of(text.substring(begin, pos));
                }
                if (allowTrailingDot && (pos >= text.length() || !isLdh(text.charAt(pos)))) {
                    return Optional.of(text.substring(begin, pos - 1));
                }
            }
        }

        /** "[" IPv4 "]" or "[IPv6:" IPv6 "]"; general address literals are not deliverable, so refused. */
        private Optional<String> addressLiteral() {
            int close = text.indexOf(']', pos);
            if (close < 0) {
                return Optional.empty();
            }
            String inner = text.substring(pos + 1, close);
            boolean valid = NetUtil.isValidIpV4Address(inner)
                    || (inner.regionMatches(true, 0, "IPv6:", 0, 5)
                            && NetUtil.isValidIpV6Address(inner.substring(5))
                            && !inner.substring(5).contains("%"));
            if (!valid) {
                return Optional.empty();
            }
            String literal = text.substring(pos, close + 1);
            pos = close + 1;
            return Optional.of(literal);
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private boolean take(char expected) {
            if (pos < text.length() && text.charAt(pos) == expected) {
                pos++;
                return true;
            }
            return false;
        }

        private void noteNonAscii(char c) {
            if (c >= 128) {
                nonAscii = true;
            }
        }

        private boolean isAtext(char c) {
            if (c >= 128) {
                nonAscii = true;
                return !Character.isISOControl(c) && !Character.isWhitespace(c);
            }
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
        }

        private static boolean isLdh(char c) {
            // in ASCII, Java's letters and digits are exactly A-Z, a-z and 0-9; beyond, a U-label's
            return c == '-' || Character.isLetterOrDigit(c);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
