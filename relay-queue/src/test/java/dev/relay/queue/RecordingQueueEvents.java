package dev.relay.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Remembers what the queue reported, for assertions. */
public final class RecordingQueueEvents implements QueueEvents {
    public record Update(QueueId id, int recipient, RecipientStatus status) {}

    public record Corrupt(String fileName, String reason) {}

    public final List<QueueId> accepted = new ArrayList<>();
    public final List<Update> updates = new ArrayList<>();
    public final List<QueueId> completed = new ArrayList<>();
    public final List<QueueId> deleted = new ArrayList<>();
    public final List<Corrupt> corrupt = new ArrayList<>();
    public final List<WriteFailure> writeFailures = new ArrayList<>();
    public final List<Boolean> writable = new ArrayList<>();
    public final AtomicLong syncs = new AtomicLong();
    public final AtomicLong syncedRequests = new AtomicLong();

    @Override
    public synchronized void accepted(QueuedMessage message) {
        accepted.add(message.id());
    }

    @Override
    public synchronized void recipientUpdated(QueuedMessage message, int recipientIndex, RecipientStatus status) {
        updates.add(new Update(message.id(), recipientIndex, status));
    }

    @Override
    public synchronized void completed(QueuedMessage message) {
        completed.add(message.id());
    }

    @Override
    public synchronized void deleted(QueuedMessage message) {
        deleted.add(message.id());
    }

    @Override
    public synchronized void corruptFileMoved(String fileName, String reason) {
        corrupt.add(new Corrupt(fileName, reason));
    }

    @Override
    public void synced(int commits) {
        syncs.incrementAndGet();
        syncedRequests.addAndGet(commits);
    }

    @Override
    public synchronized void spoolWriteFailed(WriteFailure reason) {
        writeFailures.add(reason);
    }

    @Override
    public synchronized void spoolWritable(boolean isWritable) {
        writable.add(isWritable);
    }

    public synchronized List<WriteFailure> writeFailures() {
        return List.copyOf(writeFailures);
    }

    public synchronized List<Boolean> writable() {
        return List.copyOf(writable);
    }

    public synchronized List<QueueId> accepted() {
        return List.copyOf(accepted);
    }

    public synchronized List<Update> updates() {
        return List.copyOf(updates);
    }

    public synchronized List<QueueId> completed() {
        return List.copyOf(completed);
    }

    public synchronized List<QueueId> deleted() {
        return List.copyOf(deleted);
    }

    public synchronized List<Corrupt> corrupt() {
        return List.copyOf(corrupt);
    }
}
