package dev.relay.queue.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the records of one segment file front to back through a window, for recovery. */
final class SegmentScanner implements Closeable {

    private static final int WINDOW = 1 << 20;

    private final FileChannel channel;
    private final long segment;
    private final long size;
    private byte[] window = new byte[WINDOW];
    private long windowStart;
    private int windowLength;

    SegmentScanner(Path file, long segment) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.segment = segment;
        this.size = channel.size();
    }

    long size() {
        return size;
    }

    /** The intact record starting at {@code offset}, or null if there is none. */
    SpoolRecord recordAt(long offset) throws IOException {
        if (offset + RecordFormat.HEADER_SIZE > size) {
            return null;
        }
        load(offset, RecordFormat.HEADER_SIZE);
        int from = (int) (offset - windowStart);
        int length = ByteBuffer.wrap(window, from + 5, 4).getInt();
        if (length < 0 || length > size - offset - RecordFormat.HEADER_SIZE) {
            return null;
        }
        load(offset, RecordFormat.HEADER_SIZE + length);
        from = (int) (offset - windowStart);
        return RecordFormat.parse(window, from, RecordFormat.HEADER_SIZE + length, segment, offset);
    }

    /** The offset of the next intact record at or after {@code from}, or -1: resync after damage. */
    long nextRecord(long from) throws IOException {
        for (long offset = from; offset + RecordFormat.HEADER_SIZE <= size; offset++) {
            load(offset, RecordFormat.HEADER_SIZE);
            int at = (int) (offset - windowStart);
            if (window[at] == RecordFormat.MAGIC[0] && window[at + 1] == RecordFormat.MAGIC[1]
                    && window[at + 2] == RecordFormat.MAGIC[2] && window[at + 3] == RecordFormat.MAGIC[3]
                    && recordAt(offset) != null) {
                return offset;
            }
        }
        return -1;
    }

    /** Whether every byte from {@code offset} to the end is zero (an unused, preallocated tail). */
    boolean zerosFrom(long offset) throws IOException {
        for (long at = offset; at < size; ) {
            int chunk = (int) Math.min(WINDOW, size - at);
            load(at, chunk);
            int from = (int) (at - windowStart);
            for (int i = 0; i < chunk; i++) {
                if (window[from + i] != 0) {
                    return false;
                }
            }
            at += chunk;
        }
        return true;
    }

    private void load(long offset, int length) throws IOException {
        if (offset >= windowStart && offset + length <= windowStart + windowLength) {
            return;
        }
        if (length > window.length) {
            window = new byte[length];
        }
        ByteBuffer buffer = ByteBuffer.wrap(window, 0, (int) Math.min(window.length, size - offset));
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        windowStart = offset;
        windowLength = buffer.position();
        if (windowLength < length) {
            throw new IOException("segment " + segment + " shrank while it was read");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
