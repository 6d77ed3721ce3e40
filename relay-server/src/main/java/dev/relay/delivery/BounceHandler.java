package dev.relay.delivery;

import dev.relay.queue.QueuedMessage;
import java.util.List;

/**
 * Told about recipients that just became Failed, so that a DSN can go to the sender. Called
 * once per recorded attempt, on the scheduler's own executor (never the spool writer's), after
 * the new states are durable; it may call the queue but must not block for long.
 */
@FunctionalInterface
public interface BounceHandler {

    BounceHandler NONE = (after, newlyFailed) -> {};

    /**
     * @param after the message as recorded
     * @param newlyFailed indexes into the envelope's recipients that this attempt made Failed
     */
    void failed(QueuedMessage after, List<Integer> newlyFailed);
}
