package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Where each live message's records lie, and what keeps each segment file alive. Not
 * thread-safe: the store guards it; only the writer thread (and recovery before it) mutate it.
 *
 * <p>A segment may be deleted once nothing in it is needed to rebuild the queue:
 * <ul>
 * <li>a live message pins the segment of its newest MESSAGE record and of its newest STATE
 *     record ({@code liveRefs}); older STATE records are superseded and pin nothing;</li>
 * <li>a REMOVE record in segment T for a message whose MESSAGE record (any copy) still lies in
 *     another segment M pins T until M is gone ({@code tombstoneRefs}): deleting T first would
 *     bring the message back to life at the next start.</li>
 * </ul>
 * Segment numbers are never reused, so a stale number simply refers to nothing.
 */
final class SpoolIndex {

    private static final long[] NO_COPIES = {};

    /** The records of one live message. */
    static final class Slot {
        RecordPos message;
        RecordPos state;
        /** Segments still holding older MESSAGE copies (after compaction), for tombstone pins. */
        long[] olderCopies = NO_COPIES;
        final boolean bodyInFile;
        final long bodySize;

        Slot(RecordPos message, boolean bodyInFile, long bodySize) {
            this.message = message;
            this.bodyInFile = bodyInFile;
            this.bodySize = bodySize;
        }
    }

    static final class SegmentStats {
        final long number;
        boolean sealed;
        int liveRefs;
        long liveBytes;
        int tombstoneRefs;
        /** Tombstone segment -> how many of its REMOVE records need this segment gone first. */
        Map<Long, Integer> tombstonesWaiting = Map.of();
        boolean compactionFailed;

        SegmentStats(long number, boolean sealed) {
            this.number = number;
            this.sealed = sealed;
        }
    }

    private final Map<QueueId, Slot> slots = new HashMap<>();
    private final TreeMap<Long, SegmentStats> segments = new TreeMap<>();

    void addSegment(long number, boolean sealed) {
        segments.put(number, new SegmentStats(number, sealed));
    }

    void seal(long number) {
        segments.get(number).sealed = true;
    }

    boolean hasSegment(long number) {
        return segments.containsKey(number);
    }

    List<Long> segmentNumbers() {
        return new ArrayList<>(segments.keySet());
    }

    Slot slot(QueueId id) {
        return slots.get(id);
    }

    int size() {
        return slots.size();
    }

    /** A MESSAGE record was written: a new message, or a newer copy of a live one. */
    void message(QueueId id, RecordPos pos, boolean bodyInFile, long bodySize) {
        Slot slot = slots.get(id);
        if (slot == null) {
            slots.put(id, new Slot(pos, bodyInFile, bodySize));
        } else {
            unref(slot.message);
            if (slot.state != null) {
                unref(slot.state);
                slot.state = null;
            }
            long[] copies = Arrays.copyOf(slot.olderCopies, slot.olderCopies.length + 1);
            copies[copies.length - 1] = slot.message.segment();
            slot.olderCopies = Arrays.stream(copies)
                    .filter(n -> n != pos.segment() && segments.containsKey(n)).distinct().toArray();
            slot.message = pos;
        }
        ref(pos);
    }

    /** A STATE record was written; false (and nothing changes) if the message is unknown. */
    boolean state(QueueId id, RecordPos pos) {
        Slot slot = slots.get(id);
        if (slot == null) {
            return false;
        }
        if (slot.state != null) {
            unref(slot.state);
        }
        slot.state = pos;
        ref(pos);
        return true;
    }

    /** A REMOVE record was written at {@code pos}; returns the slot the message had, or null. */
    Slot remove(QueueId id, RecordPos pos) {
        Slot slot = forget(id);
        if (slot == null) {
            return null;
        }
        long tombstone = pos.segment();
        long[] copies;
        if (slot.olderCopies.length == 0) {
            copies = new long[] {slot.message.segment()}; // nearly always: never relocated, no stream needed
        } else {
            long[] all = Arrays.copyOf(slot.olderCopies, slot.olderCopies.length + 1);
            all[all.length - 1] = slot.message.segment();
            copies = Arrays.stream(all).distinct().toArray();
        }
        for (long copy : copies) {
            SegmentStats holder = segments.get(copy);
            if (copy != tombstone && holder != null) {
                if (holder.tombstonesWaiting.isEmpty()) {
                    holder.tombstonesWaiting = new HashMap<>();
                }
                holder.tombstonesWaiting.merge(tombstone, 1, Integer::sum);
                segments.get(tombstone).tombstoneRefs++;
            }
        }
        return slot;
    }

    /** Drops a message without a tombstone (recovery found it unusable). */
    Slot forget(QueueId id) {
        Slot slot = slots.remove(id);
        if (slot != null) {
            unref(slot.message);
            if (slot.state != null) {
                unref(slot.state);
            }
        }
        return slot;
    }

    /** Sealed segments that nothing needs any more. */
    List<Long> deletable() {
        List<Long> result = new ArrayList<>();
        for (SegmentStats stats : segments.values()) {
            if (stats.sealed && stats.liveRefs == 0 && stats.tombstoneRefs == 0) {
                result.add(stats.number);
            }
        }
        return result;
    }

    /** The segment file is gone: tombstones that waited for it are free. */
    void segmentRemoved(long number) {
        SegmentStats stats = segments.remove(number);
        if (stats == null) {
            return;
        }
        stats.tombstonesWaiting.forEach((tombstone, count) -> {
            SegmentStats waiting = segments.get(tombstone);
            if (waiting != null) {
                waiting.tombstoneRefs -= count;
            }
        });
    }

    /**
     * The tombstones of segment {@code from} were rewritten into {@code targets}; their pins
     * follow. With several targets (a roll in between) each is pinned for all of them, which
     * keeps too much for a while but never too little.
     */
    void moveTombstones(long from, List<Long> targets) {
        for (SegmentStats stats : segments.values()) {
            Integer count = stats.tombstonesWaiting.isEmpty() ? null : stats.tombstonesWaiting.remove(from);
            if (count != null) {
                for (long target : targets) {
                    stats.tombstonesWaiting.merge(target, count, Integer::sum);
                    segments.get(target).tombstoneRefs += count;
                }
            }
        }
        segments.get(from).tombstoneRefs = 0;
    }

    /** The sealed segment with the fewest live bytes below {@code limit}, worth rewriting. */
    OptionalLong compactionCandidate(long limit) {
        SegmentStats best = null;
        for (SegmentStats stats : segments.values()) {
            if (stats.sealed && stats.liveRefs > 0 && !stats.compactionFailed && stats.liveBytes < limit
                    && (best == null || stats.liveBytes < best.liveBytes)) {
                best = stats;
            }
        }
        return best == null ? OptionalLong.empty() : OptionalLong.of(best.number);
    }

    void compactionFailed(long number) {
        SegmentStats stats = segments.get(number);
        if (stats != null) {
            stats.compactionFailed = true;
        }
    }

    int liveRefs(long number) {
        SegmentStats stats = segments.get(number);
        return stats == null ? 0 : stats.liveRefs;
    }

    /** Live messages with their newest MESSAGE or STATE record in the segment. */
    List<QueueId> idsIn(long number) {
        List<QueueId> ids = new ArrayList<>();
        slots.forEach((id, slot) -> {
            if (slot.message.segment() == number || (slot.state != null && slot.state.segment() == number)) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void ref(RecordPos pos) {
        SegmentStats stats = segments.get(pos.segment());
        stats.liveRefs++;
        stats.liveBytes += pos.length();
    }

    private void unref(RecordPos pos) {
        SegmentStats stats = segments.get(pos.segment());
        if (stats != null) {
            stats.liveRefs--;
            stats.liveBytes -= pos.length();
        }
    }
}
