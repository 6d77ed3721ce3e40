package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueId;
import java.util.Objects;

/**
 * A message as the store found it when it opened.
 *
 * @param size body size in bytes
 */
public record StoredMessage(QueueId id, Envelope envelope, MessageState state, long size) {
    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(state, "state");
        if (state.statuses().size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("one status per recipient");
        }
    }
}
