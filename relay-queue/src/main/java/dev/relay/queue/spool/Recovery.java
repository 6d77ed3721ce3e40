package dev.relay.queue.spool;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the files at start, in two parts: {@link #prepare} (quick: lists the
 * files and seals the last head) before the store takes anything new, and {@link #replay} (reads
 * every record) while it already does, so that a large spool does not keep the listeners shut.
 * Rules:
 * <ul>
 * <li>Segments are replayed in number order, records in file order; for each message the
 *     latest MESSAGE / STATE record wins and a REMOVE ends it. STATE or REMOVE records for a
 *     message not seen are ignored (its MESSAGE record went with a compacted segment).</li>
 * <li>The last segment was the head when the process stopped: after its last valid record
 *     comes a torn write or unused zeros. That tail is ignored and the segment sealed right
 *     there (by {@link #prepare}, before the new head is made), so a crash during the replay, and
 *     the next start, see it like any other sealed segment. New records always go to a new
 *     segment.</li>
 * <li>Any other segment must be intact up to its SEAL record. If it is not (bad checksum,
 *     garbage, no seal, unparseable record), recovery keeps every record it can still find in
 *     it (scanning for the next valid one), and marks the segment corrupt: the store rewrites
 *     its live messages and tombstones at the head, then moves the file to corrupt/.</li>
 * <li>A body file no live message refers to is an orphan (a spill whose commit never made it,
 *     or a completed message whose unlink was lost) and is deleted. Only files listed by
 *     {@link #prepare} are looked at: a body being received during the replay is not one. A body file of the wrong
 *     size moves to corrupt/, and its message is dropped.</li>
 * </ul>
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** A REMOVE record read from a damaged segment, to be written again elsewhere. */
    @SuppressWarnings("ArrayRecordComponent") // the record's bytes, written again as they are; never compared
    record Tombstone(QueueId id, byte[] payload) {}

    /**
     * What the quick first part of recovery found: the segments to replay (all sealed now), the
     * number the first new segment gets, and the body files there were before anything new
     * could be written (only these can be orphans).
     */
    record Plan(List<Long> segments, long nextSegment, List<Path> bodyFiles) {}

    /** What the replay found; corrupt maps a damaged segment to the REMOVE records read from it. */
    record Result(Map<Long, List<Tombstone>> corrupt) {}

    /**
     * How far a replay has got, read by the status page while it runs. Also the place a test
     * holds the replay at: {@link RecoveryPace#beforeSegment} is called before each segment.
     */
    static final class Progress {
        private final RecoveryPace pace;
        private final int segments;
        private final AtomicInteger replayed = new AtomicInteger();
        private final AtomicLong messages = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final long totalBytes;

        Progress(RecoveryPace pace, int segments, long totalBytes) {
            this.pace = pace;
            this.segments = segments;
            this.totalBytes = totalBytes;
        }

        dev.relay.queue.RecoveryProgress snapshot() {
            return new dev.relay.queue.RecoveryProgress(replayed.get(), segments, messages.get(), bytes.get(),
                    totalBytes);
        }
    }

    private final SpoolLayout layout;
    private final QueueEvents events;
    private final SpoolIndex index;
    private final Map<Long, List<Tombstone>> corrupt = new LinkedHashMap<>();

    private Recovery(SpoolLayout layout, QueueEvents events, SpoolIndex index) {
        this.layout = layout;
        this.events = events;
        this.index = index;
    }

    /**
     * The quick part, before the store takes new records: lists the files, deletes leftovers,
     * and seals the segment that was the head when the last process stopped right after its
     * last intact record (reading that one segment, not parsing it), so that a new head may
     * follow it at once and a crash during the replay finds every old segment sealed.
     */
    static Plan prepare(SpoolLayout layout, QueueEvents events) throws IOException {
        Recovery recovery = new Recovery(layout, events, new SpoolIndex());
        List<Long> numbers = new ArrayList<>();
        for (Path file : list(layout.segments)) {
            OptionalLong number = SpoolLayout.segmentNumber(file);
            if (number.isPresent()) {
                numbers.add(number.getAsLong());
            } else if (file.getFileName().toString().endsWith(".tmp")) {
                Files.delete(file);
            } else {
                recovery.moveToCorrupt(file, "not a segment file name");
            }
        }
        numbers.sort(null);
        long next = numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1) + 1;
        if (!numbers.isEmpty() && !recovery.sealTail(numbers.get(numbers.size() - 1))) {
            numbers.remove(numbers.size() - 1);
        }
        List<Path> bodies = new ArrayList<>();
        for (Path file : list(layout.large)) {
            if (SpoolLayout.largeBodyId(file).isEmpty()) {
                recovery.moveToCorrupt(file, "not a body file name");
            } else {
                bodies.add(file);
            }
        }
        return new Plan(List.copyOf(numbers), next, List.copyOf(bodies));
    }

    /**
     * Replays the planned segments into {@code index} (shared with a running writer, so changed
     * under its monitor; the writer only adds segments numbered from {@link Plan#nextSegment} and
     * messages with new ids meanwhile), then checks the body files listed in the plan.
     */
    static Result replay(SpoolLayout layout, QueueEvents events, Plan plan, SpoolIndex index, Progress progress,
            BooleanSupplier cancelled) throws IOException {
        return new Recovery(layout, events, index).run(plan, progress, cancelled);
    }

    /** Both parts at once, for a store that takes nothing before recovery is done (tests). */
    static Result run(SpoolLayout layout, QueueEvents events, SpoolIndex index) throws IOException {
        Plan plan = prepare(layout, events);
        return replay(layout, events, plan, index, new Progress(RecoveryPace.NONE, plan.segments().size(), 0), () -> false);
    }

    private Result run(Plan plan, Progress progress, BooleanSupplier cancelled) throws IOException {
        for (long number : plan.segments()) {
            progress.pace.beforeSegment(number);
            if (cancelled.getAsBoolean()) {
                throw new java.io.InterruptedIOException("the spool closed during its recovery");
            }
            replay(number, progress);
            progress.replayed.incrementAndGet();
        }
        checkBodyFiles(plan.bodyFiles());
        return new Result(corrupt);
    }

    /**
     * Seals the last segment after its last intact record; false if it held none and was
     * deleted. A segment whose header is damaged is left as it is: the replay finds it
     * unsealed and damaged, and the store rewrites what can be read of it.
     */
    private boolean sealTail(long number) throws IOException {
        Path file = layout.segment(number);
        try (SegmentScanner scanner = new SegmentScanner(file, number)) {
            SpoolRecord header = scanner.recordAt(0);
            if (header == null && scanner.zerosFrom(0)) {
                // a head that got its name but not yet its first record
                Files.delete(file);
                SpoolLayout.syncDirectory(layout.segments);
                return false;
            }
            if (headerNumber(header) != number) {
                if (scanner.nextRecord(0) < 0) {
                    // the head of a crashed run, torn before its first record was synced
                    LOG.info("segment {}: deleting it, it holds no valid record (torn before its first sync)", number);
                    Files.delete(file);
                    SpoolLayout.syncDirectory(layout.segments);
                    return false;
                }
                return true;
            }
            long offset = 0;
            for (SpoolRecord record; (record = scanner.recordAt(offset)) != null; offset = record.pos().end()) {
                if (record.type() == RecordType.SEAL) {
                    return true;
                }
            }
            if (!scanner.zerosFrom(offset)) {
                LOG.info("segment {}: ignoring a torn write after offset {} (the last write before a crash)",
                        number, offset);
            }
            SegmentLog.sealAt(file, number, offset);
        }
        return true;
    }

    private void replay(long number, Progress progress) throws IOException {
        Path file = layout.segment(number);
        List<Tombstone> tombstones = new ArrayList<>();
        String damage = null;
        boolean sealed = false;
        try (SegmentScanner scanner = new SegmentScanner(file, number)) {
            SpoolRecord header = scanner.recordAt(0);
            long offset = 0;
            if (headerNumber(header) != number) {
                damage = "no valid segment header";
                offset = scanner.nextRecord(0);
            }
            synchronized (index) {
                index.addSegment(number, true, scanner.size());
            }
            while (offset >= 0) {
                SpoolRecord record = scanner.recordAt(offset);
                if (record != null) {
                    if (record.type() == RecordType.SEAL) {
                        sealed = true;
                        break;
                    }
                    try {
                        apply(record, tombstones, offset > 0 || damage != null, progress);
                    } catch (CorruptRecordException e) {
                        damage = damage != null ? damage : "unreadable record at offset " + offset + ": " + e.getMessage();
                    }
                    offset = record.pos().end();
                    continue;
                }
                if (damage == null) {
                    damage = scanner.zerosFrom(offset)
                            ? "ends at offset " + offset + " without a seal record"
                            : "unreadable bytes at offset " + offset;
                }
                offset = scanner.nextRecord(offset + 1);
            }
            progress.bytes.addAndGet(scanner.size());
        }
        if (damage == null && !sealed) {
            damage = "ends without a seal record";
        }
        if (damage != null) {
            LOG.warn("segment {} is damaged ({}); keeping the records that can still be read", file, damage);
            corrupt.put(number, tombstones);
        }
    }

    private static long headerNumber(SpoolRecord header) {
        if (header == null || header.type() != RecordType.HEADER) {
            return -1;
        }
        try {
            return RecordText.parseSegmentHeader(header.payload());
        } catch (CorruptRecordException e) {
            return -1;
        }
    }

    private void apply(SpoolRecord record, List<Tombstone> tombstones, boolean afterHeader, Progress progress)
            throws CorruptRecordException {
        try {
            applyChecked(record, tombstones, afterHeader, progress);
        } catch (RuntimeException e) {
            // a value the door types refuse (no recipients, a bad id...): the record is unusable
            throw new CorruptRecordException("invalid " + record.type() + " record: " + e.getMessage(), e);
        }
    }

    private void applyChecked(SpoolRecord record, List<Tombstone> tombstones, boolean afterHeader, Progress progress)
            throws CorruptRecordException {
        byte[] payload = record.payload();
        switch (record.type()) {
            case MESSAGE -> {
                MessagePayload parts = MessagePayload.parse(payload);
                RecordText.DecodedEnvelope envelope =
                        RecordText.parseEnvelope(payload, parts.envelopeFrom(), parts.envelopeLength());
                RecordText.DecodedState state = RecordText.parseState(payload, parts.stateFrom(), parts.stateLength());
                QueueId id = envelope.id();
                if (!state.id().equals(id)
                        || state.state().statuses().size() != envelope.envelope().recipients().size()) {
                    throw new CorruptRecordException("state does not match envelope of " + id);
                }
                RecordText.Body body = envelope.body();
                if (body.inFile() ? parts.bodyLength() != 0 : parts.bodyLength() != body.size()) {
                    throw new CorruptRecordException("body length does not match envelope of " + id);
                }
                boolean first;
                synchronized (index) {
                    // one lookup of the id for the three steps: a million records, a million probes each
                    int known = index.liveSlot(id);
                    // a compacted message has more than one MESSAGE copy: counted once
                    first = !index.recovered(known);
                    int slot = index.message(known, id, record.pos(), body.inFile(), body.size());
                    index.recovered(slot, envelope.envelope().arrival(), state.state());
                }
                if (first) {
                    progress.messages.incrementAndGet();
                }
            }
            case STATE -> {
                RecordText.DecodedState state = RecordText.parseState(payload, 0, payload.length);
                synchronized (index) {
                    int slot = index.liveSlot(state.id());
                    if (index.recovered(slot)) {
                        // the MESSAGE record's state had one status per recipient
                        if (state.state().statuses().size() != index.recoveredRecipients(slot)) {
                            throw new CorruptRecordException("state does not match envelope of " + state.id());
                        }
                        index.state(slot, record.pos());
                        index.recoveredState(slot, state.state());
                    }
                }
            }
            case REMOVE -> {
                QueueId id = RecordText.parseRemoval(payload, 0, payload.length);
                boolean wasLive;
                synchronized (index) {
                    wasLive = index.recoveredState(id) != null;
                    index.remove(id, record.pos());
                }
                if (wasLive) {
                    progress.messages.decrementAndGet();
                }
                tombstones.add(new Tombstone(id, payload));
            }
            case HEADER -> {
                if (afterHeader) {
                    throw new CorruptRecordException("a second segment header");
                }
            }
            case SEAL -> throw new IllegalStateException("seal records end the replay");
        }
    }

    private void checkBodyFiles(List<Path> bodyFiles) throws IOException {
        for (Path file : bodyFiles) {
            QueueId id = SpoolLayout.largeBodyId(file).orElseThrow();
            SpoolIndex.Slot slot;
            synchronized (index) {
                slot = index.slot(id);
            }
            if (slot == null || !slot.bodyInFile) {
                // listed before the store took anything new, and new ids never match an old file's
                // (see SegmentSpoolStore#holds): so not the body of a message being received now
                LOG.info("deleting orphan body file {} (its message was never committed or is complete)", file);
                Files.deleteIfExists(file);
            } else if (Files.size(file) != slot.bodySize) {
                moveToCorrupt(file, "size " + Files.size(file) + " instead of " + slot.bodySize);
                drop(id, "its body file was damaged");
            }
        }
        List<QueueId> withBodyFiles;
        synchronized (index) {
            withBodyFiles = index.idsWithBodyFiles();
        }
        for (QueueId id : withBodyFiles) {
            boolean recovered;
            synchronized (index) {
                // new mail the writer took meanwhile is not this check's business (its file may go with it)
                recovered = index.recoveredState(id) != null;
            }
            if (recovered && !Files.exists(layout.largeBody(id))) {
                drop(id, "its body file " + layout.largeBody(id) + " is missing");
            }
        }
    }

    private void drop(QueueId id, String why) {
        LOG.warn("dropping message {} from the spool: {}", id, why);
        synchronized (index) {
            index.forget(id);
        }
    }

    private void moveToCorrupt(Path file, String reason) throws IOException {
        Path target = layout.moveToCorrupt(file);
        LOG.warn("moved unreadable spool file {} to {}: {}", file, target, reason);
        events.corruptFileMoved(file.getFileName().toString(), reason);
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
