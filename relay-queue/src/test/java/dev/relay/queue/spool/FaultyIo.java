package dev.relay.queue.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segment files that fail on cue, for what a real disk cannot do when asked: the next N syncs
 * or writes fail (as EIO, or as ENOSPC on a copy-on-write file system), or the free space
 * reported is not what there is (another process filling the disk between the check and the
 * zero-fill).
 */
final class FaultyIo implements SpoolIo {

    static final String NO_SPACE = "No space left on device";
    static final String IO_ERROR = "Input/output error";

    final AtomicInteger failingForces = new AtomicInteger();
    final AtomicInteger failingWrites = new AtomicInteger();
    /** Syncs of segment files that succeeded. */
    final AtomicInteger forces = new AtomicInteger();
    volatile String error = IO_ERROR;
    /** When at least 0, the free space reported instead of the real one. */
    final AtomicLong reportedFree = new AtomicLong(-1);

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        FileChannel channel = FileChannel.open(file, options);
        // segments in use fail on cue; preallocation (.tmp) is steered through the free space
        return file.getFileName().toString().endsWith(".log") ? new Channel(channel) : channel;
    }

    @Override
    public long usableSpace(Path file) throws IOException {
        long reported = reportedFree.get();
        return reported >= 0 ? reported : SpoolIo.super.usableSpace(file);
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private final class Channel extends FileChannel {
        private final FileChannel inner;

        Channel(FileChannel inner) {
            this.inner = inner;
        }

        private void maybeFailWrite() throws IOException {
            if (take(failingWrites)) {
                throw new IOException(error);
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return inner.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            maybeFailWrite();
            return inner.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            maybeFailWrite();
            return inner.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return inner.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            inner.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            inner.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (take(failingForces)) {
                throw new IOException(error);
            }
            inner.force(metaData);
            forces.incrementAndGet();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return inner.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            maybeFailWrite();
            return inner.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return inner.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            maybeFailWrite();
            return inner.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return inner.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return inner.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return inner.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            inner.close();
        }
    }
}
