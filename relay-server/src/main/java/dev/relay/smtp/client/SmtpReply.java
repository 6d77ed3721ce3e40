package dev.relay.smtp.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One reply from a remote SMTP server (or made up by the relay for a failure it found
 * itself, see {@link #local}): the code, the RFC 3463 enhanced status when the first line
 * carries one, and the text of each line as sent after the code and its separator.
 *
 * @param lines at least one; control characters already replaced by the decoder
 */
public record SmtpReply(int code, Optional<String> enhancedStatus, List<String> lines) {

    public SmtpReply {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("not a reply code: " + code);
        }
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /** A reply from its code and line texts; the enhanced status is read from the first line. */
    public static SmtpReply of(int code, List<String> lines) {
        return new SmtpReply(code, statusOf(code, lines.getFirst()), lines);
    }

    /** A reply the relay makes up for what it found itself (e.g. a size limit the message exceeds). */
    public static SmtpReply local(int code, String enhancedStatus, String text) {
        return of(code, List.of(enhancedStatus + " " + text));
    }

    public boolean isPositive() {
        return code >= 200 && code < 300;
    }

    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /**
     * The reply on one line, e.g. {@code 550 5.1.1 <x@y>: no such user}; the lines of a
     * multi-line reply joined by spaces, the repeated enhanced status dropped from the later ones.
     */
    public String text() {
        StringBuilder out = new StringBuilder(16 + lines.getFirst().length());
        out.append(code);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0 && enhancedStatus.isPresent() && line.startsWith(enhancedStatus.get())) {
                line = line.substring(enhancedStatus.get().length()).stripLeading();
            }
            if (!line.isEmpty()) {
                out.append(' ').append(line);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    private static Optional<String> statusOf(int code, String firstLine) {
        int end = firstLine.indexOf(' ');
        end = end < 0 ? firstLine.length() : end;
        // RFC 3463: the status class must agree with the reply's class, otherwise it is text
        if (isEnhancedStatus(firstLine, 0, end) && firstLine.charAt(0) - '0' == code / 100) {
            return Optional.of(firstLine.substring(0, end));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code text[start, end)} is an RFC 3463 status, {@code [245].ddd.ddd} (one to three
     * digits each). Written out rather than a regular expression: every reply goes through it.
     */
    static boolean isEnhancedStatus(String text, int start, int end) {
        if (end - start < 5 || "245".indexOf(text.charAt(start)) < 0 || text.charAt(start + 1) != '.') {
            return false;
        }
        int dot = text.indexOf('.', start + 2);
        return dot > 0 && dot < end && digits(text, start + 2, dot) && digits(text, dot + 1, end);
    }

    private static boolean digits(String text, int from, int to) {
        if (to - from < 1 || to - from > 3) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
