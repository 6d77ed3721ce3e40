package dev.relay.queue.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One read-only channel per segment, opened on first use and shared by every reader: the
 * writer thread reading records back (compaction) and the delivery threads opening message
 * bodies. Opening and closing the file per body read cost two system calls and a path lookup
 * per delivered message. Positional reads on a shared channel need no coordination.
 *
 * <p>{@link #release} closes a segment's channel just before the segment is deleted, under the
 * index lock, so that no lookup can hand out that channel afterwards; a read already running on
 * it fails with {@link java.nio.channels.ClosedChannelException}, and the reader looks the
 * message up again (it was moved, which is why its old segment could go). Thread-safe.
 */
final class SegmentReaders implements AutoCloseable {

    private final SpoolLayout layout;
    private final Map<Long, FileChannel> open = new HashMap<>();
    private boolean closed;

    SegmentReaders(SpoolLayout layout) {
        this.layout = layout;
    }

    /** The channel to read segment {@code number} with; it stays open until {@link #release}. */
    synchronized FileChannel channel(long number) throws IOException {
        if (closed) {
            throw new IOException("the spool is closed");
        }
        FileChannel channel = open.get(number);
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(layout.segment(number), StandardOpenOption.READ);
            open.put(number, channel);
        }
        return channel;
    }

    /** Closes the channel of a segment that is about to be deleted. */
    synchronized void release(long number) {
        closeQuietly(open.remove(number));
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(SegmentReaders::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing was pending on it
        }
    }
}
