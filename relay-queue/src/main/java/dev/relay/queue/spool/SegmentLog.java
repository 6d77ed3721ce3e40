package dev.relay.queue.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The head of the log: appends records to the active segment, rolls to the next preallocated
 * one when full, syncs. Owned by one thread at a time (recovery, then the writer thread).
 *
 * <p>Rolling writes a SEAL record and syncs the old segment before the new one gets its name,
 * so whenever segment N+1 exists, N is sealed: a segment without a seal can only be the last
 * one, torn by a crash, and recovery seals it before it starts the next.
 */
final class SegmentLog implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SegmentLog.class);

    /** Told about segment changes, to keep the index's view of the files right. */
    interface Listener {
        void opened(long number);

        void sealed(long number);
    }

    static final int SEAL_RESERVE = RecordFormat.HEADER_SIZE + RecordText.seal(Long.MAX_VALUE).length;

    private final SpoolLayout layout;
    private final long capacity;
    private final Preallocator preallocator;
    private final Listener listener;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final SegmentReaders readers;
    private final int maxPayload;

    private long number;
    private FileChannel channel;
    /** End of the log including buffered bytes. */
    private long position;
    /** End of what was handed to the file. */
    private long written;
    private boolean unsynced;

    private SegmentLog(SpoolLayout layout, long capacity, Preallocator preallocator, Listener listener,
            SegmentReaders readers) {
        this.layout = layout;
        this.readers = readers;
        this.capacity = capacity;
        this.preallocator = preallocator;
        this.listener = listener;
        this.maxPayload = maxPayload(capacity);
    }

    /** Opens segment {@code number} as the new head; it must not exist yet. */
    static SegmentLog start(SpoolLayout layout, long number, long capacity, Preallocator preallocator,
            Listener listener, SegmentReaders readers) throws IOException {
        SegmentLog log = new SegmentLog(layout, capacity, preallocator, listener, readers);
        log.activate(number);
        return log;
    }

    /** The largest payload a record may have. */
    static int maxPayload(long capacity) {
        int headerRecord = RecordFormat.HEADER_SIZE + RecordText.segmentHeader(Long.MAX_VALUE).length;
        return (int) (capacity - headerRecord - SEAL_RESERVE - RecordFormat.HEADER_SIZE);
    }

    long capacity() {
        return capacity;
    }

    long activeNumber() {
        return number;
    }

    /** Appends a record (buffered) and tells where it lies. */
    RecordPos append(RecordType type, byte[] payload) throws IOException {
        return append(type, payload, payload, 0);
    }

    /**
     * Appends a record whose payload is {@code head} followed by {@code tail[0, tailLength)},
     * as if they were one array (so a message body is not copied into a joined payload first).
     */
    RecordPos append(RecordType type, byte[] head, byte[] tail, int tailLength) throws IOException {
        int payloadLength = head.length + tailLength;
        if (payloadLength > maxPayload) {
            throw new IOException("record of " + payloadLength + " bytes does not fit in a segment");
        }
        if (position + RecordFormat.HEADER_SIZE + payloadLength + SEAL_RESERVE > capacity) {
            roll();
        }
        return put(type, head, tail, tailLength);
    }

    private RecordPos put(RecordType type, byte[] payload) throws IOException {
        return put(type, payload, payload, 0);
    }

    private RecordPos put(RecordType type, byte[] head, byte[] tail, int tailLength) throws IOException {
        int payloadLength = head.length + tailLength;
        int length = RecordFormat.HEADER_SIZE + payloadLength;
        RecordPos pos = new RecordPos(number, position, length);
        int checksum = RecordFormat.checksum(type, number, position, head, 0, head.length, tail, 0, tailLength);
        if (buffer.remaining() < length) {
            flush();
        }
        if (buffer.remaining() >= length) {
            RecordFormat.putHeader(buffer, type, payloadLength, checksum);
            buffer.put(head);
            buffer.put(tail, 0, tailLength);
        } else {
            ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER_SIZE);
            RecordFormat.putHeader(header, type, payloadLength, checksum);
            writeFully(header.flip());
            writeFully(ByteBuffer.wrap(head));
            writeFully(ByteBuffer.wrap(tail, 0, tailLength));
        }
        position += length;
        unsynced = true;
        return pos;
    }

    /** Hands buffered bytes to the file (page cache), so that reads see them. */
    void flush() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    /** Makes everything appended so far durable. */
    void sync() throws IOException {
        flush();
        if (unsynced) {
            channel.force(false);
            unsynced = false;
        }
    }

    boolean hasUnsynced() {
        return unsynced || buffer.position() > 0;
    }

    /** Reads a record back (flush first if it may still sit in the buffer). */
    SpoolRecord read(RecordPos pos) throws IOException {
        FileChannel source = pos.segment() == number ? channel : readers.channel(pos.segment());
        return RecordFormat.read(source, pos);
    }

    /** Forgets the read handle of a segment that is about to be deleted. */
    void release(long segment) {
        readers.release(segment);
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            written += channel.write(bytes, written);
        }
    }

    private void roll() throws IOException {
        long next = number + 1;
        put(RecordType.SEAL, RecordText.seal(next));
        sync();
        channel.close();
        listener.sealed(number);
        activate(next);
    }

    private void activate(long next) throws IOException {
        long waitStarted = System.nanoTime();
        Path prepared = preallocator.take(next);
        long waitedMillis = (System.nanoTime() - waitStarted) / 1_000_000;
        if (waitedMillis >= 20 && channel != null) {
            // a roll (not the first segment): commits stalled, zero-filling could not keep up
            LOG.info("segment {} was not ready in time; writes waited {} ms for it", next, waitedMillis);
        }
        Path target = layout.segment(next);
        if (Files.exists(target)) {
            throw new IOException("segment " + target + " already exists");
        }
        Files.move(prepared, target, StandardCopyOption.ATOMIC_MOVE);
        SpoolLayout.syncDirectory(layout.segments);
        channel = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
        number = next;
        position = 0;
        written = 0;
        listener.opened(next);
        put(RecordType.HEADER, RecordText.segmentHeader(next));
        preallocator.prepare(next + 1);
    }

    /** Seals the head and cuts off its unused preallocated tail. */
    @Override
    public void close() throws IOException {
        try {
            put(RecordType.SEAL, RecordText.seal(number + 1));
            flush();
            channel.truncate(position);
            channel.force(true);
            listener.sealed(number);
        } finally {
            channel.close();
            readers.close();
            preallocator.close();
        }
    }

    /** Closes files without writing anything: after a failure. */
    void abandon() {
        try {
            channel.close();
        } catch (IOException e) {
            // already failing
        }
        readers.close();
        preallocator.close();
    }

    /** Seals a segment left unsealed by a crash: SEAL at the end of its valid records, rest cut. */
    static void sealAt(Path file, long segment, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer seal = RecordFormat.encode(RecordType.SEAL, segment, offset, RecordText.seal(segment + 1));
            long at = offset;
            while (seal.hasRemaining()) {
                at += channel.write(seal, at);
            }
            channel.truncate(at);
            channel.force(true);
        }
    }
}
