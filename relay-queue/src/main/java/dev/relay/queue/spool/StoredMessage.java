package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.time.Instant;
import java.util.Objects;

/**
 * A message as the store found it when it opened: what the queue's index keeps of it. The
 * envelope stays in the store ({@link SpoolStore#envelope}), read when it is wanted.
 *
 * @param arrival when the message was accepted (its envelope's)
 * @param state its latest state, one status per envelope recipient
 * @param size body size in bytes
 */
public record StoredMessage(QueueId id, Instant arrival, MessageState state, long size) {
    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(state, "state");
    }
}
