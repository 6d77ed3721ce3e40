package dev.relay.metrics;

import dev.relay.queue.QueueEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The spool's own events as counters. Called on the queue's writer thread, which every commit
 * waits for: two atomic increments at most.
 */
final class QueueMeters implements QueueEvents {
    private final Counter corrupt;
    private final Counter syncs;
    private final Counter writes;

    QueueMeters(MeterRegistry registry) {
        this.corrupt = Meters.counter(registry, MetricNames.QUEUE_CORRUPT_FILES);
        this.syncs = Meters.counter(registry, MetricNames.SPOOL_SYNCS);
        this.writes = Meters.counter(registry, MetricNames.SPOOL_WRITES);
    }

    @Override
    public void corruptFileMoved(String fileName, String reason) {
        corrupt.increment();
    }

    @Override
    public void synced(int writeCount) {
        syncs.increment();
        writes.increment(writeCount);
    }
}
