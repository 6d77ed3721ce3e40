package dev.relay.queue;

import java.util.Objects;

/**
 * How the queue behaves, from configuration.
 *
 * @param retrySchedule when deferred recipients are tried again, and for how long at most
 * @param minFreeSpace new mail is refused while the spool's file store has less free space
 * @param maxMessages new mail is refused while this many messages are queued; 0 for no cap
 */
public record QueueSettings(RetrySchedule retrySchedule, long minFreeSpace, long maxMessages) {

    public static final QueueSettings DEFAULT = new QueueSettings(RetrySchedule.DEFAULT, 100L << 20, 0);

    public QueueSettings {
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        if (minFreeSpace < 0) {
            throw new IllegalArgumentException("minFreeSpace must not be negative: " + minFreeSpace);
        }
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxMessages must not be negative: " + maxMessages);
        }
    }
}
