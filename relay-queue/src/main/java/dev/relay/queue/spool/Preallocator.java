package dev.relay.queue.spool;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.SpoolFullException;
import dev.relay.queue.WriteFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the next segment file in the background: written full of zeros and fsync'd, so that
 * appends never allocate blocks or grow the file and one fdatasync per batch is enough. Used
 * by the writer thread only.
 *
 * <p>The spool never takes the file system below its reserve ({@code spool.min-free-space})
 * by itself. So a segment is sized from the free space at the moment it is prepared:
 * <ul>
 * <li>the full segment size when that leaves the reserve free;</li>
 * <li>else the largest multiple of a step (1 MB, or the segment size if smaller) that does;</li>
 * <li>else, only when a state change or removal needs it, one step that takes no new mail
 *     ({@link Prepared#forMail()} false): room to record delivery results, which is what frees
 *     space again. It may use half of the reserve, no more;</li>
 * <li>else nothing: {@link SpoolFullException}, and no file is left behind.</li>
 * </ul>
 * A zero-fill that fails (another process filled the disk meanwhile) deletes its partial file.
 */
final class Preallocator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Preallocator.class);
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);
    private static final long SYNC_STEP = 4L << 20;
    private static final long MAX_STEP = 1L << 20;

    /** A zero-filled segment file ready to be renamed into place. */
    record Prepared(Path file, long size, boolean forMail) {}

    private final SpoolLayout layout;
    private final long size;
    private final long step;
    private final long reserve;
    private final SpoolIo io;
    private final QueueEvents events;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("spool-preallocate").daemon().factory());
    private Future<Prepared> next;
    private long nextNumber = -1;
    private boolean nextForResults;
    /** Free bytes when the last preparation failed (written by the preparing thread). */
    private volatile long freeAtFailure = Long.MAX_VALUE;

    /**
     * @param size the full segment size
     * @param reserve free bytes the spool leaves on its file system ({@code spool.min-free-space})
     */
    Preallocator(SpoolLayout layout, long size, long reserve, SpoolIo io, QueueEvents events) {
        this.layout = layout;
        this.events = events;
        this.size = size;
        this.step = Math.min(size, MAX_STEP);
        this.reserve = reserve;
        this.io = io;
    }

    /** Starts preparing segment {@code number} for new mail (unless it already is). */
    void prepare(long number) {
        if (next != null && nextNumber == number) {
            return;
        }
        start(number, false);
    }

    private void start(long number, boolean forResults) {
        start(number, forResults, size);
    }

    private void start(long number, boolean forResults, long limit) {
        discard();
        nextNumber = number;
        nextForResults = forResults;
        next = executor.submit(() -> create(number, forResults, limit));
    }

    /**
     * The first segment of a start, for new mail: one step (1 MB) rather than a full segment,
     * so that the listeners need not wait for a whole segment to be zero-filled (64 MB, seconds
     * on a busy disk) before they bind. The full-size segments follow, prepared in the
     * background as usual; a start costs one small segment more.
     *
     * @throws SpoolFullException when there is no room for it
     */
    Prepared awaitFirst(long number) throws IOException {
        start(number, false, step);
        return waitFor(number);
    }

    /**
     * The prepared file for segment {@code number}, waiting for it if need be; it stays the
     * prepared one until {@link #claimed()}. Segments are prepared for new mail ahead of need;
     * one that may only record delivery results is made when asked for, here.
     *
     * @param forMail whether the segment must take new mail
     * @throws SpoolFullException when there is no room for it
     */
    Prepared await(long number, boolean forMail) throws IOException {
        prepare(number);
        try {
            return waitFor(number);
        } catch (SpoolFullException e) {
            if (forMail || nextForResults) {
                throw e;
            }
            start(number, true);
            return waitFor(number);
        }
    }

    private Prepared waitFor(long number) throws IOException {
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while preparing segment " + number);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** The prepared file was renamed into place: the next one is a new preparation. */
    void claimed() {
        next = null;
        nextNumber = -1;
    }

    /**
     * Prepares again when the last attempt found no room, or only room for results, and the
     * file system now has more: called while the spool is short of room, after space may have
     * come back (a segment deleted, or the operator freed some). Cheap when nothing changed.
     */
    void retryIfRoom(long number) throws IOException {
        if (next == null || nextNumber != number || !next.isDone()) {
            prepare(number);
            return;
        }
        long free = io.usableSpace(layout.segments);
        if (next.state() == Future.State.SUCCESS) {
            if (!next.resultNow().forMail() && free - reserve >= step) {
                start(number, false);
            }
        } else if (free > freeAtFailure) {
            // failed for lack of room, and there is more now: cheap if still too little (no file is made)
            start(number, nextForResults);
        }
    }

    /** Whether free space would allow a segment for new mail now (one statfs). */
    boolean roomForMail() throws IOException {
        return io.usableSpace(layout.segments) - reserve >= step;
    }

    private Prepared create(long number, boolean forResults, long limit) throws IOException {
        Path file = layout.preallocated(number);
        Files.deleteIfExists(file);
        long free = io.usableSpace(layout.segments);
        long room = free - reserve;
        long length;
        boolean forMail = true;
        if (room >= limit) {
            length = limit;
        } else if (room >= step) {
            length = room / step * step;
        } else if (forResults && free - step >= reserve / 2) {
            length = step;
            forMail = false;
        } else {
            freeAtFailure = free;
            throw new SpoolFullException("the spool's disk has no room for a new segment: " + Units.size(free)
                    + " free on the spool's file system, " + Units.size(reserve) + " kept free (spool.min-free-space)");
        }
        try (FileChannel channel = io.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            while (position < length) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), length - position));
                position += channel.write(zeros, position);
                if (position % SYNC_STEP == 0) {
                    // many small flushes rather than one of the whole file: a 64 MB flush would
                    // hold up the writer's fdatasyncs queued behind it on the device
                    channel.force(false);
                }
            }
            channel.force(true);
        } catch (IOException e) {
            // a partial file must not stay: it would hold space nobody uses until the next start
            deleteQuietly(file);
            freeAtFailure = io.usableSpace(layout.segments);
            events.spoolWriteFailed(NoSpace.is(e) ? WriteFailure.NO_SPACE : WriteFailure.IO_ERROR);
            if (NoSpace.is(e)) {
                LOG.warn("preparing spool segment {} ({}) failed: the file system is full; removed the partial file",
                        number, Units.size(length));
                throw new SpoolFullException("the spool's file system is full (preparing segment " + number + ")");
            }
            LOG.warn("preparing spool segment {} failed: {}; removed the partial file", number, e.getMessage());
            throw e;
        }
        if (length < limit) {
            LOG.info("spool segment {} prepared at {} instead of {}: {} free, {} kept free (spool.min-free-space){}",
                    number, Units.size(length), Units.size(size), Units.size(free), Units.size(reserve),
                    forMail ? "" : "; it records delivery results only, new mail waits for room");
        }
        return new Prepared(file, length, forMail);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove the partial segment {}: {}", file, e.getMessage());
        }
    }

    /** Drops the current preparation; its file, if one was made, is deleted. */
    private void discard() {
        if (next == null) {
            return;
        }
        Future<Prepared> dropped = next;
        next = null;
        nextNumber = -1;
        try {
            Files.deleteIfExists(dropped.get().file());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException e) {
            // nothing was made, or recovery deletes the leftover .tmp at the next start
        }
    }

    /** Stops preparing; a prepared but unused file is deleted. */
    @Override
    public void close() {
        executor.shutdown();
        discard();
    }
}
