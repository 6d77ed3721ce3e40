package dev.relay.smtp.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (absent only where
 * RFC 2034 has none: EHLO/HELO lines, 220 greeting, 3xx intermediate replies) and one or
 * more text lines. Handlers pick these from {@link Replies}; nothing formats reply text inline.
 */
record Reply(int code, Optional<String> status, List<String> lines) {
    Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not a reply code: " + code);
        }
        Objects.requireNonNull(status, "status");
        status.ifPresent(s -> {
            if (!isStatus(s) || s.charAt(0) != Character.forDigit(code / 100, 10)) {
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

    /**
     * RFC 3463 class.subject.detail: [245] "." 1*3digit "." 1*3digit. Checked by hand, not by
     * a regex: the reply to every message ("queued as ...") is built, and checked, anew.
     */
    private static boolean isStatus(String s) {
        if (s.length() < 5 || (s.charAt(0) != '2' && s.charAt(0) != '4' && s.charAt(0) != '5') || s.charAt(1) != '.') {
            return false;
        }
        int dot = s.indexOf('.', 2);
        return dot > 2 && dot - 2 <= 3 && digits(s, 2, dot) && s.length() - dot - 1 >= 1
                && s.length() - dot - 1 <= 3 && digits(s, dot + 1, s.length());
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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

    /** Writes the wire form (as {@link #encode()}) into {@code out}. */
    void encodeTo(io.netty.buffer.ByteBuf out) {
        for (int i = 0; i < lines.size(); i++) {
            out.writeByte('0' + code / 100).writeByte('0' + code / 10 % 10).writeByte('0' + code % 10);
            out.writeByte(i == lines.size() - 1 ? ' ' : '-');
            if (status.isPresent()) {
                io.netty.buffer.ByteBufUtil.writeAscii(out, status.get());
                out.writeByte(' ');
            }
            io.netty.buffer.ByteBufUtil.writeUtf8(out, lines.get(i));
            out.writeByte('\r').writeByte('\n');
        }
    }

    /** An upper bound of the wire form's length, for sizing a buffer. */
    int encodedLengthBound() {
        int bound = 0;
        for (String line : lines) {
            bound += 6 + status.map(String::length).orElse(0) + io.netty.buffer.ByteBufUtil.utf8MaxBytes(line);
        }
        return bound;
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
