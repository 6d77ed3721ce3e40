package dev.relay.it.bench;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueuedMessage;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the queue of a relay in the load program's JVM reports: commits, spool syncs, messages done. */
final class QueueCounts implements QueueEvents {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong syncs = new AtomicLong();
    final AtomicLong completed = new AtomicLong();

    @Override
    public void accepted(QueuedMessage message) {
        accepted.incrementAndGet();
    }

    @Override
    public void synced(int commits) {
        syncs.incrementAndGet();
    }

    @Override
    public void completed(QueuedMessage message) {
        completed.incrementAndGet();
    }
}
