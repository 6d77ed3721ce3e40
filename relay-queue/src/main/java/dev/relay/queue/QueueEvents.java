package dev.relay.queue;

/**
 * What the queue tells the outside (metrics, logs) as it happens. Methods are called on the
 * queue's own threads and must return quickly. All have empty defaults.
 */
public interface QueueEvents {
    QueueEvents NONE = new QueueEvents() {};

    /** A message became durable. */
    default void accepted(QueuedMessage message) {}

    /** A recipient reached a final status, or was deferred. */
    default void recipientUpdated(QueuedMessage message, int recipientIndex, RecipientStatus status) {}

    /** Every recipient of the message is final; the message leaves the queue. */
    default void completed(QueuedMessage message) {}

    /** An admin deleted the message. */
    default void deleted(QueuedMessage message) {}

    /** A spool file could not be read at recovery and was moved aside. */
    default void corruptFileMoved(String fileName, String reason) {}

    /** One sync of the spool covered this many commits (group commit). */
    default void synced(int commits) {}
}
