package dev.relay.queue;

import dev.relay.queue.spool.SpoolQueue;

import dev.relay.queue.spool.MemorySpoolStore;
import java.time.Clock;

class MemoryMessageQueueTest extends MessageQueueContract {

    private final MemorySpoolStore.Contents contents = new MemorySpoolStore.Contents();

    @Override
    protected MessageQueue open(QueueSettings settings, Clock clock, QueueEvents events) {
        contents.usableSpace(1L << 40);
        return MemorySpoolStore.queue(contents, settings, clock, events);
    }

    @Override
    protected int largeBodySize() {
        return 64 << 10;
    }
}
