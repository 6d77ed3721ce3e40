package dev.relay.outcome;

import java.util.Objects;
import java.util.Optional;

/**
 * An SMTP reply as an outcome carries it: a remote server's, or one the relay words for its
 * own verdict.
 *
 * @param code the three-digit reply code
 * @param enhanced the RFC 3463 code as given; empty when a remote server sent none
 * @param text what follows the code and enhanced status, on one line; may be empty
 */
public record Reply(int code, Optional<EnhancedStatus> enhanced, String text) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not a final reply code: " + code);
        }
        Objects.requireNonNull(enhanced, "enhanced");
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a reply text is one line");
        }
    }

    /** A reply the relay words itself; it always carries its enhanced status. */
    public static Reply of(int code, EnhancedStatus status, String text) {
        return new Reply(code, Optional.of(status), text);
    }

    /**
     * Reads one reply line, {@code 550 5.1.1 text} or {@code 451 text}. Empty when it does not
     * start with a reply code; an enhanced status whose class disagrees with the code is text
     * (RFC 3463).
     */
    public static Optional<Reply> parse(String line) {
        if (line.length() < 3 || !digits(line) || "245".indexOf(line.charAt(0)) < 0
                || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            return Optional.empty();
        }
        int code = Integer.parseInt(line.substring(0, 3));
        String rest = line.length() > 3 ? line.substring(4).stripLeading() : "";
        int end = rest.indexOf(' ');
        end = end < 0 ? rest.length() : end;
        Optional<EnhancedStatus> status = EnhancedStatus.parse(rest, 0, end)
                .filter(s -> s.statusClass() == code / 100);
        String text = status.isPresent() ? rest.substring(end).stripLeading() : rest;
        return Optional.of(new Reply(code, status, text));
    }

    /** The enhanced status, or the reply class's bare one when none was given. */
    public EnhancedStatus status() {
        return enhanced.orElseGet(() -> EnhancedStatus.ofReplyClass(code));
    }

    public boolean isPositive() {
        return code < 300;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The reply on one line as it was (or would be) sent: {@code 550 5.1.1 no such user}. */
    public String line() {
        StringBuilder out = new StringBuilder(8 + text.length()).append(code);
        enhanced.ifPresent(s -> out.append(' ').append(s));
        if (!text.isEmpty()) {
            out.append(' ').append(text);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return line();
    }

    private static boolean digits(String line) {
        for (int i = 0; i < 3; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
