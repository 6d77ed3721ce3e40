package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Moves the live messages of one segment to the head of the log: each is rewritten as a
 * fresh MESSAGE record holding its envelope, its latest state and its body, so the old segment
 * stops pinning it. Used for compaction (a little per batch) and for corrupt segments at start
 * (all at once). The caller syncs the log before the old segment goes.
 */
final class Relocation {

    /** A rewritten message, to apply to the index once the bytes are flushed. */
    record Moved(QueueId id, RecordPos pos, boolean bodyInFile, long bodySize) {}

    private final long segment;
    private final ArrayDeque<QueueId> pending;
    private boolean stalled;

    Relocation(long segment, Collection<QueueId> ids) {
        this.segment = segment;
        this.pending = new ArrayDeque<>(ids);
    }

    long segment() {
        return segment;
    }

    boolean done() {
        return pending.isEmpty();
    }

    /** Whether the last step stopped for lack of room. */
    boolean stalled() {
        return stalled;
    }

    /**
     * Rewrites messages until about {@code budget} bytes went out. Reads and appends through
     * the log; the index is only read (the caller is the one thread that changes it).
     *
     * Stops early, leaving the rest for later, when the log has no room (see
     * {@link SegmentLog#append(RecordType, byte[], byte[], int, boolean)}).
     *
     * @param forMail whether the copies need room that new mail may use (compaction), or may
     *     use the room kept for delivery results (rescuing a damaged segment at start)
     * @throws CorruptRecordException when a record to move cannot be read back
     */
    List<Moved> step(SegmentLog log, SpoolIndex index, long budget, boolean forMail) throws IOException {
        List<Moved> moved = new ArrayList<>();
        long written = 0;
        while (written < budget && !pending.isEmpty()) {
            QueueId id = pending.poll();
            SpoolIndex.Slot slot = index.slot(id);
            if (slot == null || (slot.message.segment() != segment
                    && (slot.state == null || slot.state.segment() != segment))) {
                continue;
            }
            byte[] payload = readForRewrite(log, slot);
            RecordPos pos;
            try {
                pos = log.append(RecordType.MESSAGE, payload, payload, 0, forMail);
            } catch (dev.relay.queue.SpoolFullException e) {
                pending.addFirst(id);
                stalled = true;
                return moved;
            }
            stalled = false;
            moved.add(new Moved(id, pos, slot.bodyInFile, slot.bodySize));
            written += payload.length;
        }
        return moved;
    }

    /** The message as it must be rewritten; any trouble reading it is reported as corruption. */
    private static byte[] readForRewrite(SegmentLog log, SpoolIndex.Slot slot) throws CorruptRecordException {
        byte[] payload;
        try {
            byte[] message = log.read(slot.message).payload();
            payload = slot.state == null
                    ? message
                    : MessagePayload.parse(message).withState(log.read(slot.state).payload());
        } catch (CorruptRecordException e) {
            throw e;
        } catch (IOException e) {
            throw new CorruptRecordException("cannot read " + slot.message + ": " + e.getMessage(), e);
        }
        if (payload.length > SegmentLog.maxPayload(log.capacity())) {
            throw new CorruptRecordException("message at " + slot.message + " grew too large to rewrite");
        }
        return payload;
    }

    static void apply(SpoolIndex index, List<Moved> moved) {
        for (Moved move : moved) {
            index.message(move.id(), move.pos(), move.bodyInFile(), move.bodySize());
        }
    }
}
