package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a spool directory:
 * <pre>
 * segments/000000001.log      append-only record log, preallocated
 * segments/000000002.log.tmp  the next segment, being preallocated (deleted at start)
 * large/&lt;queue id&gt;.body       bodies over the inline limit, one file each
 * corrupt/                    files recovery could not read, moved aside for a human
 * </pre>
 */
final class SpoolLayout {

    private static final Pattern SEGMENT = Pattern.compile("(\\d{9,18})\\.log");
    private static final Pattern LARGE_BODY = Pattern.compile("([0-9A-Za-z]{6,32})\\.body");

    final Path root;
    final Path segments;
    final Path large;
    final Path corrupt;

    SpoolLayout(Path root) {
        this.root = root;
        this.segments = root.resolve("segments");
        this.large = root.resolve("large");
        this.corrupt = root.resolve("corrupt");
    }

    void createDirectories() throws IOException {
        createDirectory(root);
        createDirectory(segments);
        createDirectory(large);
        createDirectory(corrupt);
    }

    Path segment(long number) {
        return segments.resolve(String.format("%09d.log", number));
    }

    Path preallocated(long number) {
        return segments.resolve(String.format("%09d.log.tmp", number));
    }

    Path largeBody(QueueId id) {
        return large.resolve(id.value() + ".body");
    }

    static OptionalLong segmentNumber(Path file) {
        Matcher matcher = SEGMENT.matcher(file.getFileName().toString());
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    static Optional<QueueId> largeBodyId(Path file) {
        Matcher matcher = LARGE_BODY.matcher(file.getFileName().toString());
        return matcher.matches() ? Optional.of(new QueueId(matcher.group(1))) : Optional.empty();
    }

    /** Makes a directory's entries (new, renamed or removed files) durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Moves a file into corrupt/ under a free name; returns where it went. */
    Path moveToCorrupt(Path file) throws IOException {
        String name = file.getFileName().toString();
        Path target = corrupt.resolve(name);
        for (int n = 1; Files.exists(target); n++) {
            target = corrupt.resolve(name + "." + n);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(corrupt);
        syncDirectory(file.getParent());
        return target;
    }

    private static void createDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                syncDirectory(parent);
            }
        }
    }
}
