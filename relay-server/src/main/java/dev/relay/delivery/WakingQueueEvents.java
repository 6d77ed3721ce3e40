package dev.relay.delivery;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueuedMessage;
import java.util.Objects;

/**
 * Queue events that pass everything on to another listener and, once a scheduler is attached,
 * wake it when a message is accepted or the messages found at start have joined the queue (the
 * queue opens before they are read). The queue must be opened before the scheduler can exist,
 * so the scheduler is attached afterwards; until then accepted messages wait for the
 * scheduler's first look at the queue anyway.
 */
public final class WakingQueueEvents {

    private final QueueEvents events;
    private volatile DeliveryScheduler scheduler;

    WakingQueueEvents(QueueEvents downstream) {
        QueueEvents waking = new QueueEvents() {
            @Override
            public void accepted(QueuedMessage message) {
                DeliveryScheduler s = scheduler;
                if (s != null) {
                    s.arrived();
                }
            }

            // the messages found in the spool at start joined the queue after delivery started: look at them
            @Override
            public void recovered(int messages) {
                wakeScheduler();
            }
        };
        this.events = QueueEvents.both(Objects.requireNonNull(downstream, "downstream"), waking);
    }

    /**
     * What the queue is opened with: every event goes to the downstream listener, then an
     * accepted message, or the messages found at start joining the queue, wake the scheduler.
     */
    public QueueEvents queueEvents() {
        return events;
    }

    public void attach(DeliveryScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Makes the scheduler look at the queue now, if one is attached: for changes the queue does
     * not announce, such as an admin's retry or release.
     */
    public void wakeScheduler() {
        DeliveryScheduler s = scheduler;
        if (s != null) {
            s.wake();
        }
    }
}
