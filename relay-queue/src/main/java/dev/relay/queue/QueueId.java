package dev.relay.queue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier a message gets when the spool first sees it, quoted in the 250 reply,
 * the Received header, every log line and every admin command.
 */
public record QueueId(String value) implements Comparable<QueueId> {
    private static final Pattern FORMAT = Pattern.compile("[0-9A-Za-z]{6,32}");

    public QueueId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    /** Parses what a user typed; empty when it cannot be a queue id. */
    public static java.util.Optional<QueueId> parse(String text) {
        return text != null && FORMAT.matcher(text).matches()
                ? java.util.Optional.of(new QueueId(text))
                : java.util.Optional.empty();
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
