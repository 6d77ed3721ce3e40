package dev.relay.smtp.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds {@code TLS-Required: No} (RFC 8689 section 4.2.2) in the header section of message
 * content fed in pieces, so delivery knows from the envelope, without reading the message again,
 * that the sender waives the recipient domains' TLS policies for it. Stops looking at the first
 * empty line, so a body costs nothing. The name matches case-insensitively and may be followed
 * by white space before its colon (RFC 5322 section 4.5); the value may be folded, and counts
 * when, unfolded and trimmed, it is {@code No} in any case. Anything else (a longer value, a
 * {@code No} in another field) does not count: waiving a policy must be what the sender said.
 */
final class TlsRequiredField {
    private static final byte[] NAME = "tls-required".getBytes(StandardCharsets.US_ASCII);
    /** A value longer than this cannot be a plain "No" with its white space. */
    private static final int MAX_VALUE = 32;

    private enum State { NAME, VALUE, OTHER }

    private boolean done;
    private boolean found;
    private boolean atLineStart = true;
    /** Nothing but perhaps a CR on the current line so far. */
    private boolean lineEmpty = true;
    private State state = State.NAME;
    /** Letters of the name matched so far on this line. */
    private int matched;
    /** The value of the TLS-Required field being read (across its continuation lines); null outside one. */
    private StringBuilder value;

    /** Whether the header section says {@code TLS-Required: No}; final once {@link #done()} or after {@link #finish()}. */
    boolean found() {
        return found;
    }

    /** Whether the header section has ended: further content is not looked at. */
    boolean done() {
        return done;
    }

    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && !done; i++) {
            step(bytes[i]);
        }
    }

    /** The content ended (perhaps without a body, or even without the empty line). */
    void finish() {
        endField();
        done = true;
    }

    private void step(byte b) {
        if (atLineStart) {
            atLineStart = false;
            if (b == ' ' || b == '\t') {
                // a continuation line: more of the field before it
                state = value != null ? State.VALUE : State.OTHER;
            } else {
                endField();
                state = State.NAME;
                matched = 0;
            }
        }
        if (b == '\n') {
            if (lineEmpty) {
                finish();
                return;
            }
            atLineStart = true;
            lineEmpty = true;
            return;
        }
        if (b == '\r') {
            return;
        }
        lineEmpty = false;
        switch (state) {
            case NAME -> name(b);
            case VALUE -> {
                if (value.length() <= MAX_VALUE) {
                    value.append((char) (b & 0xff));
                }
            }
            case OTHER -> { }
        }
    }

    private void name(byte b) {
        if (matched < NAME.length) {
            // (b | 0x20) folds letters to lower case and leaves '-' as it is
            if ((b | 0x20) == NAME[matched]) {
                matched++;
            } else {
                state = State.OTHER;
            }
        } else if (b == ':') {
            state = State.VALUE;
            value = new StringBuilder();
        } else if (b != ' ' && b != '\t') {
            state = State.OTHER; // TLS-Required-Something: another field
        }
    }

    private void endField() {
        if (value != null) {
            found |= value.length() <= MAX_VALUE && value.toString().strip().toLowerCase(Locale.ROOT).equals("no");
            value = null;
        }
    }
}
