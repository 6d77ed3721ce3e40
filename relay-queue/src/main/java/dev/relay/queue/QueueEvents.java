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

    /**
     * The spool could not write: a segment could not be prepared, or a write or sync failed.
     * Called once per such event (not once per message refused while it lasts).
     */
    default void spoolWriteFailed(WriteFailure reason) {}

    /**
     * The spool stopped taking new messages for lack of room ({@code false}), or takes them
     * again ({@code true}). Called on each change only.
     */
    default void spoolWritable(boolean writable) {}

    /**
     * The messages found in the spool at start have joined the queue ({@code messages} of them):
     * the queue opens before they are read, so delivery should look at it again now.
     */
    default void recovered(int messages) {}

    /** Events that go to {@code first}, then to {@code second}: for several listeners on one queue. */
    static QueueEvents both(QueueEvents first, QueueEvents second) {
        return new QueueEvents() {
            @Override
            public void accepted(QueuedMessage message) {
                first.accepted(message);
                second.accepted(message);
            }

            @Override
            public void recipientUpdated(QueuedMessage message, int recipientIndex, RecipientStatus status) {
                first.recipientUpdated(message, recipientIndex, status);
                second.recipientUpdated(message, recipientIndex, status);
            }

            @Override
            public void completed(QueuedMessage message) {
                first.completed(message);
                second.completed(message);
            }

            @Override
            public void deleted(QueuedMessage message) {
                first.deleted(message);
                second.deleted(message);
            }

            @Override
            public void corruptFileMoved(String fileName, String reason) {
                first.corruptFileMoved(fileName, reason);
                second.corruptFileMoved(fileName, reason);
            }

            @Override
            public void synced(int commits) {
                first.synced(commits);
                second.synced(commits);
            }

            @Override
            public void spoolWriteFailed(WriteFailure reason) {
                first.spoolWriteFailed(reason);
                second.spoolWriteFailed(reason);
            }

            @Override
            public void spoolWritable(boolean writable) {
                first.spoolWritable(writable);
                second.spoolWritable(writable);
            }

            @Override
            public void recovered(int messages) {
                first.recovered(messages);
                second.recovered(messages);
            }
        };
    }
}
