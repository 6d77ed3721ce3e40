package dev.relay.delivery;

import dev.relay.queue.QueuedMessage;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Told about recipients that just became Failed, so that a DSN can go to the sender. Called
 * once per recorded attempt, on the scheduler's own executor (never the spool writer's), after
 * the new states are durable; it may call the queue but must not block for long.
 */
@FunctionalInterface
public interface BounceHandler {

    BounceHandler NONE = (after, newlyFailed, original) -> original.ifPresent(BounceHandler::closeQuietly);

    /**
     * @param after the message as recorded
     * @param newlyFailed indexes into the envelope's recipients that this attempt made Failed
     * @param original the message body, opened before the results were recorded (a message
     *     whose every recipient is final leaves the spool with its body); the handler closes it
     */
    void failed(QueuedMessage after, List<Integer> newlyFailed, Optional<InputStream> original);

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException ignored) {
            // nothing was written through it
        }
    }
}
