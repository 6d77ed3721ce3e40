package dev.relay.queue.spool;

import dev.relay.queue.QueueCursor;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSnapshot;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The queue in memory: every queued message's id, arrival, body size and state (never the
 * envelope or the body: those are read from the spool when wanted), the schedule of those that
 * wait for delivery ordered by when they fall due, and the listing order (arrival, then id).
 * A message is in the schedule exactly when it is neither held nor handed out and has an open
 * recipient.
 *
 * <p>No object per message (issue 14: a million queued messages in a small heap): a message is
 * a slot number of an {@link IdTable}, its fields are parallel arrays, the schedule is a binary
 * heap of slot numbers and the listing order a sorted array of them, so a page of the listing
 * costs its own length. The state is a reference to an instance shared by many messages in
 * the two states nearly all of a large queue is in: not yet attempted ({@link MessageState#canonical},
 * one per recipient count) and deferred alike ({@link DeferredAlike}, whose next attempt is the
 * message's due time here). About 50 bytes a message, tried or not, besides the id table it
 * shares with the spool's index (about 33).
 * Not thread-safe: the queue guards it with its monitor.
 */
final class QueueIndex {

    /** No open recipient: not in the schedule. */
    private static final long NEVER = Long.MAX_VALUE;
    private static final int NONE = -1;
    /** Shared with the spool's index (see {@link IdTable}): a slot here is the message's slot there. */
    private final IdTable ids;
    private int count;
    private long[] arrival = new long[0];
    private long[] due = new long[0];
    private long[] size = new long[0];
    /**
     * Per slot: a {@link MessageState}, or a {@link DeferredAlike} whose next attempt is
     * {@code due[slot]}; null for a free slot.
     */
    private Object[] states = new Object[0];
    private boolean[] leased = new boolean[0];
    private int[] heapPos = new int[0];
    private int[] orderPos = new int[0];

    /** Slots by (due, id); heapPos[slot] is the slot's place here, or NONE. */
    private int[] heap = new int[64];
    private int heapSize;

    /** Slots by (arrival, id), with NONE where a removed one was until the next compaction. */
    private int[] order = new int[64];
    private int orderLength;
    private int orderDead;

    private long bytes;

    /** An index with an id table of its own. */
    QueueIndex() {
        this(new IdTable());
    }

    /** An index whose ids are in {@code ids}, which another index may hold too. */
    QueueIndex(IdTable ids) {
        this.ids = ids;
    }

    static long nanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            // beyond 1677 - 2262: only a test's invented time; kept in order at the ends
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : NEVER - 1;
        }
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    /** Whether {@code instant} comes back unchanged from the nanoseconds the index keeps of it. */
    static boolean keepsExactly(Instant instant) {
        long kept = nanos(instant);
        return kept != Long.MIN_VALUE && kept < NEVER - 1 && instant(kept).equals(instant);
    }

    int size() {
        return count;
    }

    /** The slot of a queued message, or -1. */
    int slot(QueueId id) {
        int slot = ids.find(id);
        return slot >= 0 && slot < states.length && states[slot] != null ? slot : -1;
    }

    QueueId id(int slot) {
        return ids.id(slot);
    }

    MessageState state(int slot) {
        return switch (states[slot]) {
            case MessageState state -> state;
            case DeferredAlike shape -> shape.at(instant(due[slot]));
            case null, default -> throw new IllegalStateException("no message in slot " + slot);
        };
    }

    private boolean held(int slot) {
        return switch (states[slot]) {
            case MessageState state -> state.held();
            case DeferredAlike shape -> shape.held();
            case null, default -> throw new IllegalStateException("no message in slot " + slot);
        };
    }

    Instant arrival(int slot) {
        return instant(arrival[slot]);
    }

    long bodySize(int slot) {
        return size[slot];
    }

    boolean leased(int slot) {
        return leased[slot];
    }

    /** Adds a message, kept in the listing order (cheap when it is the newest, as nearly always). */
    int add(QueueId id, Instant arrivedAt, long bodySize, MessageState state) {
        int slot = addUnordered(id, arrivedAt, bodySize, state);
        int last = orderLength - 1;
        while (last >= 0 && order[last] == NONE) {
            last--;
        }
        int place = last < 0 || byArrival(order[last], slot) < 0 ? orderLength : insertionPoint(slot, orderLength);
        insertAt(place, slot);
        return slot;
    }

    /**
     * Adds a message without placing it in the listing order: for loading many at once, followed by
     * {@link #sortOrder()}.
     */
    int addUnordered(QueueId id, Instant arrivedAt, long bodySize, MessageState state) {
        if (slot(id) >= 0) {
            throw new IllegalStateException("message " + id + " is already in the queue's index");
        }
        int slot = ids.acquire(id);
        count++;
        ensureCapacity(slot + 1);
        arrival[slot] = nanos(arrivedAt);
        size[slot] = bodySize;
        leased[slot] = false;
        heapPos[slot] = NONE;
        orderPos[slot] = NONE;
        bytes += bodySize;
        keep(slot, state);
        reschedule(slot);
        return slot;
    }

    /** Puts every message added by {@link #addUnordered} in its place in the listing order. */
    void sortOrder() {
        int[] live = new int[count];
        int n = 0;
        for (int i = 0; i < orderLength; i++) {
            if (order[i] != NONE) {
                live[n++] = order[i];
            }
        }
        for (int slot = 0; slot < orderPos.length && n < live.length; slot++) {
            if (states[slot] != null && orderPos[slot] == NONE) {
                live[n++] = slot;
            }
        }
        mergeSort(live, new int[live.length], 0, n);
        order = live.length < 64 ? Arrays.copyOf(live, 64) : live;
        orderLength = n;
        orderDead = 0;
        for (int i = 0; i < n; i++) {
            orderPos[order[i]] = i;
        }
    }

    void remove(int slot) {
        unschedule(slot);
        if (orderPos[slot] != NONE) { // one loaded at start may go before the listing order is sorted
            order[orderPos[slot]] = NONE;
            orderDead++;
        }
        bytes -= size[slot];
        states[slot] = null;
        ids.release(slot);
        count--;
        if (orderDead > 1024 && orderDead > orderLength / 2) {
            compactOrder();
        }
    }

    /** Changes a message's state and whether it is handed out; the schedule follows. */
    void change(int slot, MessageState state, boolean handedOut) {
        keep(slot, state);
        leased[slot] = handedOut;
        reschedule(slot);
    }

    /** Keeps a message's state, and its due time, which it decides. */
    private void keep(int slot, MessageState state) {
        Optional<DeferredAlike> shape = DeferredAlike.of(state);
        states[slot] = shape.isPresent() ? shape.get() : MessageState.canonical(state);
        due[slot] = dueOf(state, arrival[slot]);
    }

    /** Hands out up to {@code limit} messages due at {@code now}, earliest due first. */
    int[] take(Instant now, int limit) {
        long at = nanos(now);
        int[] taken = new int[Math.min(limit, heapSize)];
        int n = 0;
        while (n < taken.length && heapSize > 0 && due[heap[0]] <= at) {
            int slot = heap[0];
            unschedule(slot);
            leased[slot] = true;
            taken[n++] = slot;
        }
        return n == taken.length ? taken : Arrays.copyOf(taken, n);
    }

    Optional<Instant> nextDue() {
        return heapSize == 0 ? Optional.empty() : Optional.of(instant(due[heap[0]]));
    }

    /** Every message's slot in the listing order. */
    int[] all() {
        return page(Optional.empty(), Integer.MAX_VALUE);
    }

    /** Up to {@code limit} slots in the listing order after {@code after}: a binary search and a walk. */
    int[] page(Optional<QueueCursor> after, int limit) {
        if (limit <= 0) {
            return new int[0];
        }
        int from = after.map(this::firstAfter).orElse(0);
        int[] page = new int[Math.min(limit, count)];
        int n = 0;
        for (int i = from; i < orderLength && n < page.length; i++) {
            if (order[i] != NONE) {
                page[n++] = order[i];
            }
        }
        return n == page.length ? page : Arrays.copyOf(page, n);
    }

    /** The first place in the order array whose message comes after the cursor. */
    private int firstAfter(QueueCursor cursor) {
        long at = nanos(cursor.arrival());
        return firstPlaceNotBefore(slot -> {
            int byArrival = Long.compare(arrival[slot], at);
            return byArrival != 0 ? byArrival < 0 : ids.compare(slot, cursor.id()) <= 0;
        }, orderLength);
    }

    /**
     * A binary search of order[0, end) for the first live place whose message is not
     * {@code before}, passing over dead places (NONE) as it goes.
     */
    private int firstPlaceNotBefore(java.util.function.IntPredicate before, int end) {
        int low = 0;
        int high = end;
        while (low < high) {
            int mid = (low + high) >>> 1;
            int live = mid;
            while (live < high && order[live] == NONE) {
                live++;
            }
            if (live == high) {
                high = mid;
            } else if (before.test(order[live])) {
                low = live + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    QueueSnapshot snapshot(Instant now) {
        long at = nanos(now);
        long active = 0;
        long deferred = 0;
        long held = 0;
        int oldest = NONE;
        for (int i = 0; i < orderLength; i++) {
            int slot = order[i];
            if (slot == NONE) {
                continue;
            }
            if (oldest == NONE) {
                oldest = slot;
            }
            if (held(slot)) {
                held++;
            } else if (leased[slot] || due[slot] <= at) {
                active++;
            } else {
                deferred++;
            }
        }
        return new QueueSnapshot(active, deferred, held,
                oldest == NONE ? Optional.empty() : Optional.of(instant(arrival[oldest])), bytes);
    }

    private static long dueOf(MessageState state, long arrival) {
        long earliest = NEVER;
        for (RecipientStatus status : state.statuses()) {
            long next = switch (status) {
                case RecipientStatus.Pending pending -> arrival;
                case RecipientStatus.Deferred deferred -> nanos(deferred.nextAttempt());
                case RecipientStatus.Delivered delivered -> NEVER;
                case RecipientStatus.Failed failed -> NEVER;
            };
            earliest = Math.min(earliest, next);
        }
        return earliest;
    }

    private void reschedule(int slot) {
        unschedule(slot);
        if (!leased[slot] && !held(slot) && due[slot] != NEVER) {
            if (heapSize == heap.length) {
                heap = Arrays.copyOf(heap, heap.length + (heap.length >> 1));
            }
            heap[heapSize] = slot;
            heapPos[slot] = heapSize;
            heapSize++;
            siftUp(heapPos[slot]);
        }
    }

    private void unschedule(int slot) {
        int place = heapPos[slot];
        if (place == NONE) {
            return;
        }
        heapPos[slot] = NONE;
        heapSize--;
        if (place == heapSize) {
            return;
        }
        int last = heap[heapSize];
        heap[place] = last;
        heapPos[last] = place;
        siftDown(place);
        siftUp(heapPos[last]);
    }

    private void siftUp(int place) {
        int slot = heap[place];
        while (place > 0) {
            int parent = (place - 1) >>> 1;
            if (byDue(heap[parent], slot) <= 0) {
                break;
            }
            heap[place] = heap[parent];
            heapPos[heap[place]] = place;
            place = parent;
        }
        heap[place] = slot;
        heapPos[slot] = place;
    }

    private void siftDown(int place) {
        int slot = heap[place];
        while (true) {
            int child = 2 * place + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && byDue(heap[child + 1], heap[child]) < 0) {
                child++;
            }
            if (byDue(slot, heap[child]) <= 0) {
                break;
            }
            heap[place] = heap[child];
            heapPos[heap[place]] = place;
            place = child;
        }
        heap[place] = slot;
        heapPos[slot] = place;
    }

    private int byDue(int slot, int other) {
        int byDue = Long.compare(due[slot], due[other]);
        return byDue != 0 ? byDue : ids.compare(slot, other);
    }

    private int byArrival(int slot, int other) {
        int byArrival = Long.compare(arrival[slot], arrival[other]);
        return byArrival != 0 ? byArrival : ids.compare(slot, other);
    }

    /** Where {@code slot} goes among order[0, end), all of which but dead places are compared. */
    private int insertionPoint(int slot, int end) {
        return firstPlaceNotBefore(placed -> byArrival(placed, /* other= */ slot) < 0, end);
    }

    private void insertAt(int place, int slot) {
        if (orderLength == order.length) {
            order = Arrays.copyOf(order, order.length + (order.length >> 1));
        }
        if (place < orderLength) {
            System.arraycopy(order, place, order, place + 1, orderLength - place);
            for (int i = place + 1; i <= orderLength; i++) {
                if (order[i] != NONE) {
                    orderPos[order[i]] = i;
                }
            }
        }
        order[place] = slot;
        orderPos[slot] = place;
        orderLength++;
    }

    private void compactOrder() {
        int n = 0;
        for (int i = 0; i < orderLength; i++) {
            int slot = order[i];
            if (slot != NONE) {
                order[n] = slot;
                orderPos[slot] = n;
                n++;
            }
        }
        Arrays.fill(order, n, orderLength, NONE);
        orderLength = n;
        orderDead = 0;
    }

    private void mergeSort(int[] slots, int[] scratch, int from, int to) {
        if (to - from < 16) {
            for (int i = from + 1; i < to; i++) {
                int slot = slots[i];
                int j = i;
                while (j > from && byArrival(slots[j - 1], slot) > 0) {
                    slots[j] = slots[j - 1];
                    j--;
                }
                slots[j] = slot;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(slots, scratch, from, mid);
        mergeSort(slots, scratch, mid, to);
        if (byArrival(slots[mid - 1], slots[mid]) <= 0) {
            return; // already in order, as a spool replayed in arrival order mostly is
        }
        System.arraycopy(slots, from, scratch, from, to - from);
        int left = from;
        int right = mid;
        for (int i = from; i < to; i++) {
            if (right >= to || (left < mid && byArrival(scratch[left], scratch[right]) <= 0)) {
                slots[i] = scratch[left++];
            } else {
                slots[i] = scratch[right++];
            }
        }
    }

    private void ensureCapacity(int needed) {
        if (arrival.length >= needed) {
            return;
        }
        int capacity = IdTable.grownLength(arrival.length, needed);
        arrival = Arrays.copyOf(arrival, capacity);
        due = Arrays.copyOf(due, capacity);
        size = Arrays.copyOf(size, capacity);
        states = Arrays.copyOf(states, capacity);
        leased = Arrays.copyOf(leased, capacity);
        heapPos = Arrays.copyOf(heapPos, capacity);
        orderPos = Arrays.copyOf(orderPos, capacity);
    }
}
