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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the files at start. Rules:
 * <ul>
 * <li>Segments are replayed in number order, records in file order; for each message the
 *     latest MESSAGE / STATE record wins and a REMOVE ends it. STATE or REMOVE records for a
 *     message not seen are ignored (its MESSAGE record went with a compacted segment).</li>
 * <li>The last segment was the head when the process stopped: after its last valid record
 *     comes a torn write or unused zeros. That tail is ignored and the segment sealed right
 *     there, so the next start sees it like any other sealed segment. New records always go to
 *     a new segment.</li>
 * <li>Any other segment must be intact up to its SEAL record. If it is not (bad checksum,
 *     garbage, no seal, unparseable record), recovery keeps every record it can still find in
 *     it (scanning for the next valid one), and marks the segment corrupt: the store rewrites
 *     its live messages and tombstones at the head, then moves the file to corrupt/.</li>
 * <li>A body file no live message refers to is an orphan (a spill whose commit never made it,
 *     or a completed message whose unlink was lost) and is deleted. A body file of the wrong
 *     size moves to corrupt/, and its message is dropped.</li>
 * </ul>
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** A REMOVE record read from a damaged segment, to be written again elsewhere. */
    @SuppressWarnings("ArrayRecordComponent") // the record's bytes, written again as they are; never compared
    record Tombstone(QueueId id, byte[] payload) {}

    /** What recovery found; corrupt maps a damaged segment to the REMOVE records read from it. */
    record Result(SpoolIndex index, long nextSegment,
            Map<Long, List<Tombstone>> corrupt) {}

    private final SpoolLayout layout;
    private final QueueEvents events;
    private final SpoolIndex index = new SpoolIndex();
    private final Map<Long, List<Tombstone>> corrupt = new LinkedHashMap<>();

    private Recovery(SpoolLayout layout, QueueEvents events) {
        this.layout = layout;
        this.events = events;
    }

    static Result run(SpoolLayout layout, QueueEvents events) throws IOException {
        return new Recovery(layout, events).run();
    }

    private Result run() throws IOException {
        List<Long> numbers = new ArrayList<>();
        for (Path file : list(layout.segments)) {
            OptionalLong number = SpoolLayout.segmentNumber(file);
            if (number.isPresent()) {
                numbers.add(number.getAsLong());
            } else if (file.getFileName().toString().endsWith(".tmp")) {
                Files.delete(file);
            } else {
                moveToCorrupt(file, "not a segment file name");
            }
        }
        numbers.sort(null);
        long highest = 0;
        for (int i = 0; i < numbers.size(); i++) {
            long number = numbers.get(i);
            highest = Math.max(highest, number);
            replay(number, i == numbers.size() - 1);
        }
        checkBodyFiles();
        if (!numbers.isEmpty()) {
            LOG.info("spool recovered: {} messages in {} segments", index.size(), numbers.size());
        }
        return new Result(index, highest + 1, corrupt);
    }

    private void replay(long number, boolean last) throws IOException {
        Path file = layout.segment(number);
        List<Tombstone> tombstones = new ArrayList<>();
        String damage = null;
        boolean sealed = false;
        try (SegmentScanner scanner = new SegmentScanner(file, number)) {
            SpoolRecord header = scanner.recordAt(0);
            if (header == null && scanner.zerosFrom(0)) {
                // a head that got its name but not yet its first record
                Files.delete(file);
                SpoolLayout.syncDirectory(layout.segments);
                return;
            }
            long offset = 0;
            if (headerNumber(header) != number) {
                damage = "no valid segment header";
                offset = scanner.nextRecord(0);
                if (offset < 0 && last) {
                    // the head of a crashed run, torn before its first record was synced
                    LOG.info("segment {}: deleting it, it holds no valid record (torn before its first sync)", number);
                    Files.delete(file);
                    SpoolLayout.syncDirectory(layout.segments);
                    return;
                }
            }
            index.addSegment(number, true);
            while (offset >= 0) {
                SpoolRecord record = scanner.recordAt(offset);
                if (record != null) {
                    if (record.type() == RecordType.SEAL) {
                        sealed = true;
                        break;
                    }
                    try {
                        apply(record, tombstones, offset > 0 || damage != null);
                    } catch (CorruptRecordException e) {
                        damage = damage != null ? damage : "unreadable record at offset " + offset + ": " + e.getMessage();
                    }
                    offset = record.pos().end();
                    continue;
                }
                if (last && damage == null) {
                    if (!scanner.zerosFrom(offset)) {
                        LOG.info("segment {}: ignoring a torn write after offset {} (the last write before a crash)",
                                number, offset);
                    }
                    SegmentLog.sealAt(file, number, offset);
                    sealed = true;
                    break;
                }
                if (damage == null) {
                    damage = scanner.zerosFrom(offset)
                            ? "ends at offset " + offset + " without a seal record"
                            : "unreadable bytes at offset " + offset;
                }
                offset = scanner.nextRecord(offset + 1);
            }
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

    private void apply(SpoolRecord record, List<Tombstone> tombstones, boolean afterHeader) throws CorruptRecordException {
        try {
            applyChecked(record, tombstones, afterHeader);
        } catch (RuntimeException e) {
            // a value the door types refuse (no recipients, a bad id...): the record is unusable
            throw new CorruptRecordException("invalid " + record.type() + " record: " + e.getMessage(), e);
        }
    }

    private void applyChecked(SpoolRecord record, List<Tombstone> tombstones, boolean afterHeader)
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
                index.message(id, record.pos(), body.inFile(), body.size());
                index.recovered(id, envelope.envelope().arrival(), state.state());
            }
            case STATE -> {
                RecordText.DecodedState state = RecordText.parseState(payload, 0, payload.length);
                MessageState known = index.recoveredState(state.id());
                if (known != null) {
                    // the MESSAGE record's state had one status per recipient
                    if (state.state().statuses().size() != known.statuses().size()) {
                        throw new CorruptRecordException("state does not match envelope of " + state.id());
                    }
                    index.state(state.id(), record.pos());
                    index.recoveredState(state.id(), state.state());
                }
            }
            case REMOVE -> {
                QueueId id = RecordText.parseRemoval(payload, 0, payload.length);
                index.remove(id, record.pos());
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

    private void checkBodyFiles() throws IOException {
        for (Path file : list(layout.large)) {
            Optional<QueueId> id = SpoolLayout.largeBodyId(file);
            if (id.isEmpty()) {
                moveToCorrupt(file, "not a body file name");
                continue;
            }
            SpoolIndex.Slot slot = index.slot(id.get());
            if (slot == null || !slot.bodyInFile) {
                LOG.info("deleting orphan body file {} (its message was never committed or is complete)", file);
                Files.delete(file);
            } else if (Files.size(file) != slot.bodySize) {
                moveToCorrupt(file, "size " + Files.size(file) + " instead of " + slot.bodySize);
                drop(id.get(), "its body file was damaged");
            }
        }
        for (QueueId id : index.idsWithBodyFiles()) {
            if (!Files.exists(layout.largeBody(id))) {
                drop(id, "its body file " + layout.largeBody(id) + " is missing");
            }
        }
    }

    private void drop(QueueId id, String why) {
        LOG.warn("dropping message {} from the spool: {}", id, why);
        index.forget(id);
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
