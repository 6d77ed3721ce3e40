package dev.relay.delivery;

import dev.relay.queue.QueuedMessage;
import java.util.List;

/**
 * Told when a message has had recipients deferred for longer than {@code queue.delay-warning-after},
 * so that one delay DSN can go to the sender. Called at most once per message in its life (the
 * queue keeps a durable mark, set before this call), never for a message from the null sender,
 * on the scheduler's own executor; it may call the queue but must not block for long. Which of
 * the recipients asked for a delay notice (NOTIFY) is the notifier's business.
 */
@FunctionalInterface
public interface DelayNotifier {

    DelayNotifier NONE = (message, deferred) -> {};

    /**
     * @param message the message as recorded after the attempt that found it late
     * @param deferred indexes into the envelope's recipients that are deferred now, ascending
     */
    void delayed(QueuedMessage message, List<Integer> deferred);
}
