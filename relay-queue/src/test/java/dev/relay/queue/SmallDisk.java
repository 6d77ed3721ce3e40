package dev.relay.queue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system for full-disk tests: a tmpfs of a given size mounted on a fresh
 * directory, unmounted by {@link #close()} (use try-with-resources, so it goes even when the
 * test fails). Mounting needs root on Linux, as in CI; elsewhere the test is skipped (a JUnit
 * assumption) with the reason.
 *
 * <p>A filler file stands for "everything else on the disk": {@link #fillTo} leaves a chosen
 * amount free, {@link #freeUp} gives some of it back, as an operator deleting old logs would.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path root;
    private final Path filler;

    private SmallDisk(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    /** Mounts a tmpfs of {@code bytes} on {@code directory} (created), or skips the test. */
    public static SmallDisk mount(Path directory, long bytes) throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "full-disk tests mount a tmpfs, which needs Linux");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "full-disk tests mount a tmpfs, which needs root (CI runs them as root)");
        Files.createDirectories(directory);
        Process mount = new ProcessBuilder(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs",
                directory.toString())).redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = mount.waitFor(30, TimeUnit.SECONDS);
        assumeTrue(done && mount.exitValue() == 0,
                "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): " + output.strip());
        return new SmallDisk(directory);
    }

    public Path root() {
        return root;
    }

    /** Free bytes, as the relay sees them. */
    public long free() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    /** Grows the filler file until about {@code leave} bytes stay free (it never shrinks here). */
    public void fillTo(long leave) throws IOException {
        long grow = free() - leave;
        if (grow <= 0) {
            return;
        }
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long at = channel.size();
            ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
            for (long left = grow; left > 0; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), left));
                int n = channel.write(zeros, at);
                at += n;
                left -= n;
            }
        }
    }

    /** Gives back {@code bytes} of the filler file. */
    public void freeUp(long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, channel.size() - bytes));
        }
    }

    /** Unmounts; lazily if something still holds a file open, so the mount never outlives the test. */
    @Override
    public void close() throws IOException, InterruptedException {
        Process umount = new ProcessBuilder("umount", root.toString()).redirectErrorStream(true).start();
        umount.getInputStream().readAllBytes();
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            new ProcessBuilder("umount", "-l", root.toString()).redirectErrorStream(true).start().waitFor(30,
                    TimeUnit.SECONDS);
        }
    }
}
