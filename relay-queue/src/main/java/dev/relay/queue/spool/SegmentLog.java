package dev.relay.queue.spool;

import dev.relay.queue.SpoolFullException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

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
        void opened(long number, long size);

        void sealed(long number);
    }

    static final int SEAL_RESERVE = RecordFormat.HEADER_SIZE + RecordText.seal(Long.MAX_VALUE).length;

    private final SpoolLayout layout;
    private final long fullSize;
    private final Preallocator preallocator;
    private final Listener listener;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final SegmentReaders readers;
    private final SpoolIo io;

    /** The head segment's number, or (while there is no head) the last one there was. */
    private long number;
    /** The head segment; null while the spool had no room for one. */
    private FileChannel channel;
    /** The head's size: segments are smaller than {@link #fullSize} when space was short. */
    private long capacity;
    /** Whether the head takes new messages, or only state changes and removals. */
    private boolean headForMail;
    /** End of the log including buffered bytes. */
    private long position;
    /** End of what was handed to the file. */
    private long written;
    /** End of what is known durable in the head. */
    private long synced;
    private boolean unsynced;
    private Optional<String> startProblem = Optional.empty();

    private SegmentLog(SpoolLayout layout, long fullSize, Preallocator preallocator, Listener listener,
            SegmentReaders readers, SpoolIo io) {
        this.layout = layout;
        this.readers = readers;
        this.fullSize = fullSize;
        this.preallocator = preallocator;
        this.listener = listener;
        this.io = io;
    }

    /**
     * Opens segment {@code number} as the new head; it must not exist yet. With no room for it
     * the log starts without a head, and makes one as soon as a record needs it and room allows.
     */
    static SegmentLog start(SpoolLayout layout, long number, long fullSize, Preallocator preallocator,
            Listener listener, SegmentReaders readers, SpoolIo io) throws IOException {
        SegmentLog log = new SegmentLog(layout, fullSize, preallocator, listener, readers, io);
        log.number = number - 1;
        try {
            log.activate(number, preallocator.awaitFirst(number));
        } catch (SpoolFullException e) {
            // the writer reports it, with the state it puts the spool in
            log.startProblem = Optional.of(e.getMessage());
        }
        return log;
    }

    /** Why the log started without a head, if it did. */
    Optional<String> startProblem() {
        return startProblem;
    }

    /** The largest payload a record may have in a segment of {@code capacity} bytes. */
    static int maxPayload(long capacity) {
        int headerRecord = RecordFormat.HEADER_SIZE + RecordText.segmentHeader(Long.MAX_VALUE).length;
        return (int) (capacity - headerRecord - SEAL_RESERVE - RecordFormat.HEADER_SIZE);
    }

    /** The full segment size (segments made while space was short are smaller). */
    long capacity() {
        return fullSize;
    }

    long activeNumber() {
        return number;
    }

    /** The number the next segment will get. */
    long nextNumber() {
        return number + 1;
    }

    Preallocator preallocator() {
        return preallocator;
    }

    /** Appends a record (buffered) and tells where it lies; state and removal records. */
    RecordPos append(RecordType type, byte[] payload) throws IOException {
        return append(type, payload, payload, 0, false);
    }

    /**
     * Appends a record whose payload is {@code head} followed by {@code tail[0, tailLength)},
     * as if they were one array (so a message body is not copied into a joined payload first).
     *
     * @param forMail a new message (or a copy of one): it goes only into a segment that takes
     *     new mail, never into the room kept for delivery results
     * @throws SpoolFullException when there is no room for it; nothing of it was written
     */
    RecordPos append(RecordType type, byte[] head, byte[] tail, int tailLength, boolean forMail) throws IOException {
        int payloadLength = head.length + tailLength;
        if (payloadLength > maxPayload(fullSize)) {
            throw new IOException("record of " + payloadLength + " bytes does not fit in a segment");
        }
        int length = RecordFormat.HEADER_SIZE + payloadLength;
        if (channel == null || position + length + SEAL_RESERVE > capacity || (forMail && !headForMail)) {
            roll(length, forMail);
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
        if (channel == null) {
            buffer.clear();
            return;
        }
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    /** Makes everything appended so far durable. */
    void sync() throws IOException {
        flush();
        if (unsynced && channel != null) {
            channel.force(false);
        }
        unsynced = false;
        synced = position;
    }

    boolean hasUnsynced() {
        return unsynced || buffer.position() > 0;
    }

    /** Whether the record at {@code pos} is on stable storage (synced, or in an earlier segment). */
    boolean isDurable(RecordPos pos) {
        return pos.segment() < number || (pos.segment() == number && pos.end() <= synced);
    }

    /** Whether there is a head and it takes new messages. */
    boolean headForMail() {
        return channel != null && headForMail;
    }

    /**
     * After a failed write or sync: overwrites what was appended since the last sync with zeros
     * and syncs that, so that records whose writes were reported failed cannot come back at the
     * next start (the kernel may have written some of them out already). Appending goes on from
     * the last synced record. If even this fails, the head is given up: the log goes on in a new
     * segment, and this one, ending without a seal, is read as damaged at the next start.
     *
     * @return whether the undone records are sure not to come back
     */
    boolean discardUnsynced() {
        buffer.clear();
        if (channel == null) {
            return true;
        }
        try {
            long at = synced;
            while (at < written) {
                ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 20, written - at));
                while (zeros.hasRemaining()) {
                    at += channel.write(zeros, at);
                }
            }
            channel.force(false);
            position = synced;
            written = synced;
            unsynced = false;
            return true;
        } catch (IOException e) {
            LOG.error("could not undo the failed spool writes in segment {}: {}; the log goes on in a new segment",
                    number, e.getMessage());
            dropHead();
            return false;
        }
    }

    private void dropHead() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing
        }
        channel = null;
        position = 0;
        written = 0;
        synced = 0;
        unsynced = false;
    }

    /** Reads a record back (flush first if it may still sit in the buffer). */
    SpoolRecord read(RecordPos pos) throws IOException {
        FileChannel source = pos.segment() == number && channel != null ? channel : readers.channel(pos.segment());
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

    /**
     * Moves the head to the next segment. The next file is obtained first: when there is no room
     * for it, nothing is written (the head stays as it was, not sealed) and the caller's record
     * is refused. Only then is the old head sealed and synced.
     */
    private void roll(int length, boolean forMail) throws IOException {
        long next = number + 1;
        long waitStarted = System.nanoTime();
        Preallocator.Prepared prepared = preallocator.await(next, forMail);
        long waitedMillis = (System.nanoTime() - waitStarted) / 1_000_000;
        if (waitedMillis >= 20 && channel != null) {
            // a roll (not the first segment): commits stalled, zero-filling could not keep up
            LOG.info("segment {} was not ready in time; writes waited {} ms for it", next, waitedMillis);
        }
        if (forMail && !prepared.forMail()) {
            throw new SpoolFullException("the spool's disk has no room for new mail: the next segment could only be "
                    + Units.size(prepared.size()) + ", kept for delivery results (spool.min-free-space)");
        }
        long header = (long) RecordFormat.HEADER_SIZE + RecordText.segmentHeader(next).length;
        if (header + length + SEAL_RESERVE > prepared.size()) {
            throw new SpoolFullException("the spool's disk has no room for a record of " + length + " bytes: the next segment"
                    + " could only be " + Units.size(prepared.size()));
        }
        if (channel != null) {
            put(RecordType.SEAL, RecordText.seal(next));
            sync();
            channel.close();
            channel = null;
            listener.sealed(number);
        }
        activate(next, prepared);
    }

    private void activate(long next, Preallocator.Prepared prepared) throws IOException {
        Path target = layout.segment(next);
        number = next; // from here on, this number is used up, whatever fails next
        preallocator.claimed();
        try {
            if (Files.exists(target)) {
                throw new IOException("segment " + target + " already exists");
            }
            Files.move(prepared.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(prepared.file()); // it would hold its space until the next start
            throw e;
        }
        SpoolLayout.syncDirectory(layout.segments);
        channel = io.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
        capacity = prepared.size();
        headForMail = prepared.forMail();
        position = 0;
        written = 0;
        synced = 0;
        listener.opened(next, prepared.size());
        put(RecordType.HEADER, RecordText.segmentHeader(next));
        // synced at once: records of a batch that fails later in this segment are undone back
        // to here, and the header must stay
        sync();
        preallocator.prepare(next + 1);
    }

    /** Seals the head and cuts off its unused preallocated tail. */
    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                put(RecordType.SEAL, RecordText.seal(number + 1));
                flush();
                channel.truncate(position);
                channel.force(true);
                listener.sealed(number);
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
            readers.close();
            preallocator.close();
        }
    }

    /** Closes files without writing anything: after a failure. */
    void abandon() {
        if (channel != null) {
            dropHead();
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
