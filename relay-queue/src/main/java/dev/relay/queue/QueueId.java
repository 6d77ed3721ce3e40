package dev.relay.queue;

import java.util.Objects;

/**
 * The identifier a message gets when the spool first sees it, quoted in the 250 reply,
 * the Received header, every log line and every admin command.
 */
public record QueueId(String value) implements Comparable<QueueId> {
    public QueueId {
        Objects.requireNonNull(value, "value");
        if (!wellFormed(value)) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    /** Parses what a user typed; empty when it cannot be a queue id. */
    public static java.util.Optional<QueueId> parse(String text) {
        return text != null && wellFormed(text)
                ? java.util.Optional.of(new QueueId(text))
                : java.util.Optional.empty();
    }

    /** 6 to 32 ASCII letters and digits (checked by hand: one id is made per accepted message). */
    private static boolean wellFormed(String text) {
        int length = text.length();
        if (length < 6 || length > 32) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
