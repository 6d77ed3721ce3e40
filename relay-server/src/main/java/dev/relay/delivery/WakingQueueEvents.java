package dev.relay.delivery;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.queue.WriteFailure;
import java.util.Objects;

/**
 * Queue events that pass everything on to another listener and, once a scheduler is attached,
 * wake it when a message is accepted or the messages found at start have joined the queue (the
 * queue opens before they are read). The queue must be opened before the scheduler can exist,
 * so the scheduler is attached afterwards; until then accepted messages wait for the
 * scheduler's first look at the queue anyway.
 */
public final class WakingQueueEvents implements QueueEvents {

    private final QueueEvents downstream;
    private volatile DeliveryScheduler scheduler;

    WakingQueueEvents(QueueEvents downstream) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
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

    @Override
    public void accepted(QueuedMessage message) {
        downstream.accepted(message);
        wakeScheduler();
    }

    /** The messages found in the spool at start joined the queue after delivery started: look at them. */
    @Override
    public void recovered(int messages) {
        downstream.recovered(messages);
        wakeScheduler();
    }

    @Override
    public void recipientUpdated(QueuedMessage message, int recipientIndex, RecipientStatus status) {
        downstream.recipientUpdated(message, recipientIndex, status);
    }

    @Override
    public void completed(QueuedMessage message) {
        downstream.completed(message);
    }

    @Override
    public void deleted(QueuedMessage message) {
        downstream.deleted(message);
    }

    @Override
    public void corruptFileMoved(String fileName, String reason) {
        downstream.corruptFileMoved(fileName, reason);
    }

    @Override
    public void synced(int commits) {
        downstream.synced(commits);
    }

    @Override
    public void spoolWriteFailed(WriteFailure reason) {
        downstream.spoolWriteFailed(reason);
    }

    @Override
    public void spoolWritable(boolean writable) {
        downstream.spoolWritable(writable);
    }
}
