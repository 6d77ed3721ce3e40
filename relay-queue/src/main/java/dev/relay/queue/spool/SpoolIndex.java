package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    /**
     * The records of one live message, as they are when asked: a value made on demand, since
     * the index keeps no object per message (issue 14: a million queued messages in a small
     * heap), only parallel arrays indexed by an {@link IdTable} slot.
     */
    static final class Slot {
        final RecordPos message;
        /** The newest STATE record; null when the MESSAGE record's state is the latest. */
        final RecordPos state;
        final boolean bodyInFile;
        final long bodySize;

        Slot(RecordPos message, RecordPos state, boolean bodyInFile, long bodySize) {
            this.message = message;
            this.state = state;
            this.bodyInFile = bodyInFile;
            this.bodySize = bodySize;
        }
    }

    static final class SegmentStats {
        final long number;
        /** The file's size: what "sparse" is measured against (a segment made on a tight disk is smaller). */
        final long size;
        boolean sealed;
        int liveRefs;
        long liveBytes;
        int tombstoneRefs;
        /** Tombstone segment -> how many of its REMOVE records need this segment gone first. */
        Map<Long, Integer> tombstonesWaiting = Map.of();
        boolean compactionFailed;

        SegmentStats(long number, boolean sealed, long size) {
            this.number = number;
            this.sealed = sealed;
            this.size = size;
        }
    }

    /** Shared with the queue's index (see {@link IdTable}): a slot here is the message's slot there. */
    private final IdTable ids;
    private int count;
    /** Per slot: the newest MESSAGE record (segment and offset packed, see {@link #pack}) and its length. */
    private long[] messageAt = new long[0];
    private int[] messageLength = new int[0];
    /** Per slot: the newest STATE record; length 0 when there is none. */
    private long[] stateAt = new long[0];
    private int[] stateLength = new int[0];
    private long[] bodySize = new long[0];
    private boolean[] bodyInFile = new boolean[0];
    /** Segments still holding older MESSAGE copies (after compaction), for tombstone pins: rare, by slot. */
    private final Map<Integer, long[]> olderCopies = new HashMap<>();
    /** What recovery found of each message, until the queue has taken it ({@link #takeRecovered}). */
    private long[] recoveredArrival;
    /** Per slot: a {@link MessageState}, or a {@link DeferredAlike} whose next attempt is {@code recoveredNext}. */
    private Object[] recoveredState;
    private long[] recoveredNext;
    private final TreeMap<Long, SegmentStats> segments = new TreeMap<>();

    /** An index with an id table of its own. */
    SpoolIndex() {
        this(new IdTable());
    }

    /** An index whose ids are in {@code ids}, which the queue's index holds too. */
    SpoolIndex(IdTable ids) {
        this.ids = ids;
    }

    /** The id table, for the queue's index to share. */
    IdTable ids() {
        return ids;
    }

    /** The slot of a message this index holds, or -1 (the queue's index may hold the id alone). */
    private int find(QueueId id) {
        int slot = ids.find(id);
        return slot >= 0 && slot < messageLength.length && messageLength[slot] != 0 ? slot : -1;
    }

    private static long pack(RecordPos pos) {
        return (pos.segment() << 32) | Math.toIntExact(pos.offset());
    }

    private static RecordPos unpack(long at, int length) {
        return new RecordPos(at >>> 32, at & 0xFFFF_FFFFL, length);
    }

    void addSegment(long number, boolean sealed, long size) {
        segments.put(number, new SegmentStats(number, sealed, size));
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

    /** The records of a live message, or null. */
    Slot slot(QueueId id) {
        int slot = find(id);
        return slot < 0 ? null : slotAt(slot);
    }

    private Slot slotAt(int slot) {
        return new Slot(unpack(messageAt[slot], messageLength[slot]),
                stateLength[slot] == 0 ? null : unpack(stateAt[slot], stateLength[slot]), bodyInFile[slot],
                bodySize[slot]);
    }

    int size() {
        return count;
    }

    /** A MESSAGE record was written: a new message, or a newer copy of a live one. */
    void message(QueueId id, RecordPos pos, boolean inFile, long size) {
        message(find(id), id, pos, inFile, size);
    }

    /**
     * {@link #message(QueueId, RecordPos, boolean, long)} for a caller that has looked the id up
     * already ({@code known} from {@link #liveSlot}, -1 for a new message): recovery reads a
     * million records and each id lookup is a probe into a table of a million.
     *
     * @return the message's slot
     */
    int message(int known, QueueId id, RecordPos pos, boolean inFile, long size) {
        int slot = known;
        if (slot < 0) {
            slot = ids.acquire(id);
            count++;
            ensureCapacity(slot + 1);
            bodyInFile[slot] = inFile;
            bodySize[slot] = size;
        } else {
            RecordPos old = unpack(messageAt[slot], messageLength[slot]);
            unref(old);
            if (stateLength[slot] != 0) {
                unref(unpack(stateAt[slot], stateLength[slot]));
                stateLength[slot] = 0;
            }
            long[] before = olderCopies.getOrDefault(slot, NO_COPIES);
            long[] copies = Arrays.copyOf(before, before.length + 1);
            copies[copies.length - 1] = old.segment();
            long[] kept = Arrays.stream(copies).filter(n -> n != pos.segment() && segments.containsKey(n)).distinct()
                    .toArray();
            if (kept.length == 0) {
                olderCopies.remove(slot);
            } else {
                olderCopies.put(slot, kept);
            }
        }
        messageAt[slot] = pack(pos);
        messageLength[slot] = pos.length();
        ref(pos);
        return slot;
    }

    /** The slot of a message this index holds, or -1: for the calls that take it. */
    int liveSlot(QueueId id) {
        return find(id);
    }

    /** A STATE record was written; false (and nothing changes) if the message is unknown. */
    boolean state(QueueId id, RecordPos pos) {
        int slot = find(id);
        if (slot < 0) {
            return false;
        }
        state(slot, pos);
        return true;
    }

    /** A STATE record was written for the live message in {@code slot}. */
    void state(int slot, RecordPos pos) {
        if (stateLength[slot] != 0) {
            unref(unpack(stateAt[slot], stateLength[slot]));
        }
        stateAt[slot] = pack(pos);
        stateLength[slot] = pos.length();
        ref(pos);
    }

    /** A REMOVE record was written at {@code pos}; returns the slot the message had, or null. */
    Slot remove(QueueId id, RecordPos pos) {
        int number = find(id);
        if (number < 0) {
            return null;
        }
        long[] older = olderCopies.getOrDefault(number, NO_COPIES);
        Slot slot = forget(id);
        long tombstone = pos.segment();
        long[] copies;
        if (older.length == 0) {
            copies = new long[] {slot.message.segment()}; // nearly always: never relocated, no stream needed
        } else {
            long[] all = Arrays.copyOf(older, older.length + 1);
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
        int number = find(id);
        if (number < 0) {
            return null;
        }
        Slot slot = slotAt(number);
        unref(slot.message);
        if (slot.state != null) {
            unref(slot.state);
        }
        messageLength[number] = 0;
        stateLength[number] = 0;
        olderCopies.remove(number);
        if (recoveredState != null && number < recoveredState.length) {
            recoveredState[number] = null;
        }
        ids.release(number);
        count--;
        return slot;
    }

    /** Recovery found this arrival and (latest) state for a message it indexed. */
    void recovered(int slot, Instant arrival, MessageState state) {
        int capacity = messageAt.length; // the message was just indexed: its slot is below
        if (recoveredState == null || recoveredState.length < capacity) {
            recoveredArrival = recoveredArrival == null ? new long[capacity]
                    : Arrays.copyOf(recoveredArrival, capacity);
            recoveredState = recoveredState == null ? new Object[capacity]
                    : Arrays.copyOf(recoveredState, capacity);
            recoveredNext = recoveredNext == null ? new long[capacity]
                    : Arrays.copyOf(recoveredNext, capacity);
        }
        recoveredArrival[slot] = QueueIndex.nanos(arrival);
        keepRecovered(slot, state);
    }

    /** A newer state recovery found for a message it indexed. */
    void recoveredState(int slot, MessageState state) {
        keepRecovered(slot, state);
    }

    /**
     * Keeps a recovered state as the queue's index will: a million messages deferred alike cost
     * no more than a million fresh ones while the spool is read.
     */
    private void keepRecovered(int slot, MessageState state) {
        Optional<DeferredAlike> shape = DeferredAlike.of(state);
        if (shape.isPresent()) {
            recoveredState[slot] = shape.get();
            // a shaped state's recipients are all deferred, to one time
            recoveredNext[slot] = QueueIndex.nanos(
                    ((RecipientStatus.Deferred) state.statuses().get(0)).nextAttempt());
        } else {
            recoveredState[slot] = MessageState.canonical(state);
        }
    }

    private static MessageState recoveredState(Object kept, long next) {
        return kept instanceof DeferredAlike shape ? shape.at(Instant.ofEpochSecond(0, next)) : (MessageState) kept;
    }

    /** The latest state recovery found for a message, or null when it knows none. */
    MessageState recoveredState(QueueId id) {
        int slot = find(id);
        return recovered(slot) ? recoveredState(recoveredState[slot], recoveredNext[slot]) : null;
    }

    /** Whether recovery knows a state for the message in {@code slot} (-1: no message). */
    boolean recovered(int slot) {
        return slot >= 0 && recoveredState != null && slot < recoveredState.length && recoveredState[slot] != null;
    }

    /** How many recipients the state recovery knows for {@code slot} has (see {@link #recovered(int)}). */
    int recoveredRecipients(int slot) {
        return recoveredState[slot] instanceof DeferredAlike shape
                ? shape.deferrals().size()
                : ((MessageState) recoveredState[slot]).statuses().size();
    }

    /** Ids of the live messages whose body lies in a file of its own. */
    List<QueueId> idsWithBodyFiles() {
        List<QueueId> found = new ArrayList<>();
        for (int slot = 0; slot < messageLength.length; slot++) {
            if (messageLength[slot] != 0 && bodyInFile[slot]) {
                found.add(ids.id(slot));
            }
        }
        return found;
    }

    /**
     * What recovery found, as a list that makes each message when asked for it (a million of
     * them at once would not fit a small heap); the index forgets it. Valid until the first
     * message is added or removed.
     */
    List<StoredMessage> takeRecovered() {
        long[] arrivals = recoveredArrival;
        Object[] states = recoveredState;
        long[] next = recoveredNext;
        recoveredArrival = null;
        recoveredState = null;
        recoveredNext = null;
        if (states == null) {
            return List.of();
        }
        int[] live = new int[count];
        int n = 0;
        for (int slot = 0; slot < messageLength.length && n < live.length; slot++) {
            if (messageLength[slot] != 0 && slot < states.length && states[slot] != null) {
                live[n++] = slot;
            }
        }
        int count = n;
        return new AbstractList<>() {
            @Override
            public StoredMessage get(int i) {
                int slot = live[Objects.checkIndex(i, count)];
                synchronized (SpoolIndex.this) {
                    return new StoredMessage(ids.id(slot), Instant.ofEpochSecond(0, arrivals[slot]),
                            recoveredState(states[slot], next[slot]), bodySize[slot]);
                }
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    private void ensureCapacity(int needed) {
        if (messageAt.length >= needed) {
            return;
        }
        int capacity = IdTable.grownLength(messageAt.length, needed);
        messageAt = Arrays.copyOf(messageAt, capacity);
        messageLength = Arrays.copyOf(messageLength, capacity);
        stateAt = Arrays.copyOf(stateAt, capacity);
        stateLength = Arrays.copyOf(stateLength, capacity);
        bodySize = Arrays.copyOf(bodySize, capacity);
        bodyInFile = Arrays.copyOf(bodyInFile, capacity);
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
        forgetOlderCopiesIn(number);
        stats.tombstonesWaiting.forEach((tombstone, count) -> {
            SegmentStats waiting = segments.get(tombstone);
            if (waiting != null) {
                waiting.tombstoneRefs -= count;
            }
        });
    }

    /**
     * Older copies in a segment that is gone pin nothing any more: forgotten, or a compacted
     * segment would leave an entry for each message it held (issue 14: a million deferred
     * messages are compacted again and again as their states supersede each other, and the
     * entries came to 80 bytes a message).
     */
    private void forgetOlderCopiesIn(long number) {
        olderCopies.entrySet().removeIf(entry -> {
            long[] copies = entry.getValue();
            if (Arrays.stream(copies).noneMatch(copy -> copy == number)) {
                return false;
            }
            long[] kept = Arrays.stream(copies).filter(copy -> copy != number).toArray();
            entry.setValue(kept);
            return kept.length == 0;
        });
    }

    /** How many messages have older copies in segments still there (for tests). */
    int withOlderCopies() {
        return olderCopies.size();
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

    /**
     * The sealed segment with the fewest live bytes among those whose live records fill less than
     * {@code fraction} of the segment's own size: worth rewriting. Measured against each file's
     * size, not the configured one: segments made on a tight disk are smaller, and against 64 MB
     * a full 11 MB segment would look sparse and be copied forward whole, taking the room that
     * new mail needs.
     */
    OptionalLong compactionCandidate(double fraction) {
        SegmentStats best = null;
        for (SegmentStats stats : segments.values()) {
            if (stats.sealed && stats.liveRefs > 0 && !stats.compactionFailed && stats.liveBytes < fraction * stats.size
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
        List<QueueId> found = new ArrayList<>();
        for (int slot = 0; slot < messageLength.length; slot++) {
            if (messageLength[slot] != 0 && ((messageAt[slot] >>> 32) == number
                    || (stateLength[slot] != 0 && (stateAt[slot] >>> 32) == number))) {
                found.add(ids.id(slot));
            }
        }
        return found;
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
