package dev.relay.tlspolicy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyOverride;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run-time suspensions on disk: one JSON file, replaced whole on every change by writing a
 * temporary file beside it, forcing it to disk and renaming it over the old one, so a crash
 * leaves either the old list or the new, never half of one.
 */
final class SuspensionFile {

    /** The file's name in the spool directory. */
    static final String NAME = "tls-policy-suspensions.json";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One suspension as stored; times as ISO-8601 text. */
    record Stored(String domain, String until, String reason, String by, String at) {}

    private final Path file;

    SuspensionFile(Path directory) {
        this.file = directory.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /**
     * The suspensions stored, expired ones included (the caller drops them).
     *
     * @throws IOException when the file exists but cannot be read or is not what this writes
     */
    List<PolicyOverride> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return List.of();
        }
        List<Stored> stored;
        try {
            stored = JSON.readValue(bytes, new TypeReference<List<Stored>>() {});
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not a list of suspensions: " + e.getOriginalMessage(), e);
        }
        List<PolicyOverride> out = new ArrayList<>();
        for (Stored s : stored) {
            try {
                out.add(new PolicyOverride(s.domain(), PolicyMode.TESTING, List.of(), Optional.of(Instant.parse(s.until())),
                        s.reason(), new PolicyOverride.Suspension(s.by(), Instant.parse(s.at()))));
            } catch (RuntimeException bad) {
                throw new IOException(file + ": an unreadable suspension (" + s + ")", bad);
            }
        }
        return out;
    }

    /** Replaces the file with these suspensions, durably. */
    void write(List<PolicyOverride> suspensions) throws IOException {
        List<Stored> stored = new ArrayList<>();
        for (PolicyOverride o : suspensions) {
            PolicyOverride.Suspension source = (PolicyOverride.Suspension) o.source();
            stored.add(new Stored(o.domain(), o.until().orElseThrow().toString(), o.reason(), source.by(),
                    source.at().toString()));
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stored).getBytes(StandardCharsets.UTF_8);
        Path temp = file.resolveSibling(NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException(file.getParent() + " cannot replace files atomically", e);
        }
        // the rename itself must survive a crash too
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
