package dev.relay.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (absent only where
 * RFC 2034 has none: EHLO/HELO lines, 220 greeting, 3xx intermediate replies) and one or
 * more text lines. Handlers pick these from {@link Replies}; nothing formats reply text inline.
 */
record Reply(int code, Optional<String> status, List<String> lines) {
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not a reply code: " + code);
        }
        Objects.requireNonNull(status, "status");
        status.ifPresent(s -> {
            if (!STATUS.matcher(s).matches() || s.charAt(0) != Character.forDigit(code / 100, 10)) {
                throw new IllegalArgumentException("status " + s + " does not fit code " + code);
            }
        });
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : lines) {
            // a CR or LF in reply text would let client-controlled text forge extra replies
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("line breaks in reply text");
            }
        }
    }

    static Reply of(int code, String status, String text) {
        return new Reply(code, Optional.of(status), List.of(text));
    }

    /** A reply without enhanced status code (greeting, EHLO, 3xx). */
    static Reply bare(int code, String text) {
        return new Reply(code, Optional.empty(), List.of(text));
    }

    static Reply multiLine(int code, Optional<String> status, List<String> lines) {
        return new Reply(code, status, lines);
    }

    boolean isPositive() {
        return code < 400;
    }

    boolean isPermanentFailure() {
        return code >= 500;
    }

    String firstLine() {
        return lines.get(0);
    }

    /** The wire form: every line carries the code and, when present, the enhanced status. */
    byte[] encode() {
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            status.ifPresent(s -> out.append(s).append(' '));
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return code + status.map(s -> " " + s).orElse("") + " " + String.join(" / ", lines);
    }
}
