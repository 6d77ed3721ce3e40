package dev.relay.metrics;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.WriteFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The spool's own events as counters, its state as gauges. Called on the queue's writer
 * thread, which every commit waits for: two atomic increments at most.
 */
final class QueueMeters implements QueueEvents {
    private final Counter corrupt;
    private final Counter syncs;
    private final Counter writes;
    private final Map<WriteFailure, Counter> writeFailures = new EnumMap<>(WriteFailure.class);
    private volatile boolean writable = true;
    private volatile Optional<FileStore> spoolStore = Optional.empty();

    QueueMeters(MeterRegistry registry) {
        this.corrupt = Meters.counter(registry, MetricNames.QUEUE_CORRUPT_FILES);
        this.syncs = Meters.counter(registry, MetricNames.SPOOL_SYNCS);
        this.writes = Meters.counter(registry, MetricNames.SPOOL_WRITES);
        for (WriteFailure reason : WriteFailure.values()) {
            writeFailures.put(reason, Meters.counter(registry, MetricNames.SPOOL_WRITE_FAILURES,
                    MetricNames.REASON, reason.label()));
        }
        Gauge.builder(MetricNames.SPOOL_WRITABLE.meterName(), this, meters -> meters.writable ? 1 : 0)
                .description(MetricNames.SPOOL_WRITABLE.help())
                .register(registry);
        Gauge.builder(MetricNames.SPOOL_FREE.meterName(), this, QueueMeters::freeBytes)
                .description(MetricNames.SPOOL_FREE.help())
                .baseUnit("bytes")
                .register(registry);
    }

    /** Feeds {@code relay_spool_free_bytes} from the file system holding {@code directory}. */
    void watchSpool(Path directory) throws IOException {
        spoolStore = Optional.of(Files.getFileStore(directory));
    }

    private double freeBytes() {
        Optional<FileStore> store = spoolStore;
        if (store.isEmpty()) {
            return 0;
        }
        try {
            return store.get().getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
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

    @Override
    public void spoolWriteFailed(WriteFailure reason) {
        writeFailures.get(reason).increment();
    }

    @Override
    public void spoolWritable(boolean isWritable) {
        writable = isWritable;
    }
}
