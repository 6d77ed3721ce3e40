package dev.relay.queue;

import java.util.List;
import java.util.Objects;

/**
 * A read-only view of one queued message.
 *
 * @param id its queue id
 * @param envelope as accepted
 * @param statuses one per envelope recipient, same order
 * @param size body size in bytes as stored
 * @param attempts delivery attempts made so far
 * @param held whether an admin put it on hold
 */
public record QueuedMessage(
        QueueId id, Envelope envelope, List<RecipientStatus> statuses, long size, int attempts, boolean held) {

    public QueuedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envelope, "envelope");
        statuses = List.copyOf(statuses);
        if (statuses.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("one status per recipient");
        }
    }

    public boolean isComplete() {
        return statuses.stream().allMatch(RecipientStatus::isFinal);
    }
}
