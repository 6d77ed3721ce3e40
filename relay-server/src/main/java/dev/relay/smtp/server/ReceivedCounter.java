package dev.relay.smtp.server;

/**
 * Counts the Received fields in the header section of message content fed in pieces, and stops
 * looking at the first empty line (the end of the section), so a message body costs nothing. A
 * field name matches case-insensitively and may be followed by white space before its colon
 * (the obsolete syntax of RFC 5322 section 4.5); continuation lines begin with white space and
 * never match.
 */
final class ReceivedCounter {
    private static final byte[] NAME = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd'};

    private int count;
    private boolean done;
    /** Nothing but perhaps a CR on the current line so far. */
    private boolean lineEmpty = true;
    /** The current line may still be a Received field. */
    private boolean matching = true;
    /** Letters of the name matched so far on this line. */
    private int matched;

    /** Received fields seen so far. */
    int count() {
        return count;
    }

    /** Whether the header section has ended: further content is not looked at. */
    boolean done() {
        return done;
    }

    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && !done; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                done = lineEmpty;
                lineEmpty = true;
                matching = true;
                matched = 0;
            } else if (b != '\r') {
                lineEmpty = false;
                if (matching) {
                    step(b);
                }
            }
        }
    }

    private void step(byte b) {
        if (matched < NAME.length) {
            matching = (b | 0x20) == NAME[matched];
            matched++;
        } else if (b == ':') {
            count++;
            matching = false;
        } else {
            matching = b == ' ' || b == '\t';
        }
    }
}
