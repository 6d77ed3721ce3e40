package dev.relay.queue;

import dev.relay.queue.spool.SpoolQueue;

import dev.relay.queue.spool.SpoolTuning;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The contract over the disk store, with small segments so that rolls happen too. */
class SegmentMessageQueueTest extends MessageQueueContract {

    static final SpoolTuning SMALL = new SpoolTuning(1 << 20, 16 << 10, 0.25);

    @TempDir
    Path directory;

    @Override
    protected MessageQueue open(QueueSettings settings, Clock clock, QueueEvents events) throws IOException {
        return SpoolQueue.open(directory.resolve("spool"), settings, SMALL, clock, events);
    }

    @Override
    protected int largeBodySize() {
        return SMALL.inlineBodyLimit() + 1;
    }
}
