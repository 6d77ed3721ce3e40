package dev.relay.queue.spool;

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

/**
 * Prepares the next segment file in the background: written full of zeros and fsync'd, so that
 * appends never allocate blocks or grow the file and one fdatasync per batch is enough. Used
 * by the writer thread only.
 */
final class Preallocator implements AutoCloseable {

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);
    private static final long SYNC_STEP = 4L << 20;

    private final SpoolLayout layout;
    private final long size;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "spool-preallocate");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Path> next;
    private long nextNumber = -1;

    Preallocator(SpoolLayout layout, long size) {
        this.layout = layout;
        this.size = size;
    }

    /** Starts preparing segment {@code number}. */
    void prepare(long number) {
        if (next != null && nextNumber == number) {
            return;
        }
        nextNumber = number;
        next = executor.submit(() -> create(number));
    }

    /** The prepared file for segment {@code number}, waiting for it if need be. */
    Path take(long number) throws IOException {
        prepare(number);
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while preparing segment " + number);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            next = null;
            nextNumber = -1;
        }
    }

    private Path create(long number) throws IOException {
        Path file = layout.preallocated(number);
        Files.deleteIfExists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            while (position < size) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
                if (position % SYNC_STEP == 0) {
                    // many small flushes rather than one of the whole file: a 64 MB flush would
                    // hold up the writer's fdatasyncs queued behind it on the device
                    channel.force(false);
                }
            }
            channel.force(true);
        }
        return file;
    }

    /** Stops preparing; a prepared but unused file is deleted. */
    @Override
    public void close() {
        executor.shutdown();
        if (next != null) {
            try {
                Files.deleteIfExists(next.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | IOException e) {
                // nothing to clean up, or recovery deletes the leftover .tmp at the next start
            }
            next = null;
        }
    }
}
