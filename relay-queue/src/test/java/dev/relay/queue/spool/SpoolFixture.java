package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecordingQueueEvents;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A disk queue in a directory, reopened at will, with access to its store and files. */
final class SpoolFixture implements AutoCloseable {

    final Path directory;
    final SpoolTuning tuning;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final SpoolLayout layout;
    RecordingQueueEvents events;
    SegmentSpoolStore store;
    SpoolQueue queue;

    final long reserve;
    final SpoolIo io;

    SpoolFixture(Path directory, SpoolTuning tuning) throws IOException {
        this(directory, tuning, 0, SpoolIo.FILE_SYSTEM);
    }

    /** A spool that keeps {@code reserve} bytes free (spool.min-free-space) and uses {@code io} for its segments. */
    SpoolFixture(Path directory, SpoolTuning tuning, long reserve, SpoolIo io) throws IOException {
        this.directory = directory;
        this.tuning = tuning;
        this.layout = new SpoolLayout(directory);
        this.reserve = reserve;
        this.io = io;
        open();
    }

    void open() throws IOException {
        events = new RecordingQueueEvents();
        store = SegmentSpoolStore.open(directory, tuning, reserve, events, io);
        queue = SpoolQueue.over(store, new QueueSettings(RetrySchedule.DEFAULT, reserve, 0), clock, events);
    }

    void reopen() throws IOException {
        close();
        open();
    }

    @Override
    public void close() throws IOException {
        if (queue != null) {
            queue.close();
            queue = null;
        }
    }

    /** Waits until the writer has deleted dead segments and finished any compaction. */
    void quiesce() throws Exception {
        store.quiesce().get(30, TimeUnit.SECONDS);
    }

    Envelope envelope(String recipient) {
        return new Envelope("alice@example.com", List.of(RecipientAddress.of(recipient)), MailParameters.NONE,
                clock.instant(), "192.0.2.7", "client.example.com", Optional.empty());
    }

    QueueId commit(byte[] body) throws Exception {
        return commit(body, "bob@example.org");
    }

    QueueId commit(byte[] body, String recipient) throws Exception {
        try (MessageDraft draft = queue.newDraft()) {
            draft.write(body);
            return draft.commit(envelope(recipient)).get(30, TimeUnit.SECONDS);
        }
    }

    byte[] body(QueueId id) throws IOException {
        try (InputStream in = queue.openBody(id)) {
            return in.readAllBytes();
        }
    }

    List<Long> segmentNumbers() throws IOException {
        try (Stream<Path> files = Files.list(layout.segments)) {
            return files.map(SpoolLayout::segmentNumber).filter(n -> n.isPresent()).map(n -> n.getAsLong())
                    .sorted().toList();
        }
    }

    List<String> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** The valid records of a segment file, front to back, up to its seal or damage. */
    static List<SpoolRecord> records(Path file, long number) throws IOException {
        List<SpoolRecord> records = new ArrayList<>();
        try (SegmentScanner scanner = new SegmentScanner(file, number)) {
            for (SpoolRecord record = scanner.recordAt(0); record != null && record.type() != RecordType.SEAL;
                    record = scanner.recordAt(record.pos().end())) {
                records.add(record);
            }
        }
        return records;
    }

    static QueueId messageId(SpoolRecord record) {
        try {
            MessagePayload payload = MessagePayload.parse(record.payload());
            return RecordText.parseEnvelope(payload.bytes(), payload.envelopeFrom(), payload.envelopeLength()).id();
        } catch (CorruptRecordException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] randomBody(int size, long seed) {
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        return body;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted().toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
