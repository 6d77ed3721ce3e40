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
 * @param delayWarned whether the delay warning for it was sent (see {@link MessageQueue#markDelayWarned})
 */
public record QueuedMessage(QueueId id, Envelope envelope, List<RecipientStatus> statuses, long size, int attempts,
        boolean held, boolean delayWarned) {

    public QueuedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envelope, "envelope");
        statuses = List.copyOf(statuses);
        if (statuses.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("one status per recipient");
        }
    }

    /** A message not (yet) warned about: as the queue saw it before delay warnings. */
    public QueuedMessage(QueueId id, Envelope envelope, List<RecipientStatus> statuses, long size, int attempts,
            boolean held) {
        this(id, envelope, statuses, size, attempts, held, false);
    }

    public boolean isComplete() {
        return statuses.stream().allMatch(RecipientStatus::isFinal);
    }
}
