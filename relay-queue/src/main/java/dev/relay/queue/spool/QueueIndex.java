package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueCursor;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSnapshot;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The queue in memory: every queued message (envelope and state, never the body) and the
 * schedule of those that wait for delivery, ordered by when they fall due. A message is in
 * the schedule exactly when it is neither held nor handed out. Not thread-safe: the queue
 * guards it with its monitor.
 */
final class QueueIndex {

    /** One queued message. Mutable: the index changes it in place. */
    static final class Entry {
        final QueueId id;
        final Envelope envelope;
        final long size;
        MessageState state;
        boolean leased;
        /** Earliest moment an open recipient may be tried; arrival for pending ones. */
        Instant dueAt;

        Entry(QueueId id, Envelope envelope, long size, MessageState state) {
            this.id = id;
            this.envelope = envelope;
            this.size = size;
            this.state = state;
            this.dueAt = dueAt(envelope, state);
        }

        QueuedMessage view() {
            return new QueuedMessage(id, envelope, state.statuses(), size, state.attempts(), state.held(),
                    state.delayWarned());
        }

        private boolean waits() {
            return !leased && !state.held();
        }
    }

    // written out rather than Comparator.comparing(..).thenComparing(..): every accepted
    // message is inserted into the schedule, and the composed form costs four calls per step
    private static final Comparator<Entry> BY_DUE = (a, b) -> {
        int byDue = a.dueAt.compareTo(b.dueAt);
        return byDue != 0 ? byDue : a.id.compareTo(b.id);
    };
    private static final Comparator<Entry> BY_ARRIVAL = (a, b) -> {
        int byArrival = a.envelope.arrival().compareTo(b.envelope.arrival());
        return byArrival != 0 ? byArrival : a.id.compareTo(b.id);
    };

    private final Map<QueueId, Entry> entries = new HashMap<>();
    private final NavigableSet<Entry> schedule = new TreeSet<>(BY_DUE);
    private long bytes;

    static Instant dueAt(Envelope envelope, MessageState state) {
        Instant due = null;
        for (RecipientStatus status : state.statuses()) {
            Instant next = switch (status) {
                case RecipientStatus.Pending pending -> envelope.arrival();
                case RecipientStatus.Deferred deferred -> deferred.nextAttempt();
                case RecipientStatus.Delivered delivered -> null;
                case RecipientStatus.Failed failed -> null;
            };
            if (next != null && (due == null || next.isBefore(due))) {
                due = next;
            }
        }
        return due;
    }

    int size() {
        return entries.size();
    }

    Entry get(QueueId id) {
        return entries.get(id);
    }

    boolean contains(QueueId id) {
        return entries.containsKey(id);
    }

    void add(Entry entry) {
        entries.put(entry.id, entry);
        bytes += entry.size;
        if (entry.waits() && entry.dueAt != null) {
            schedule.add(entry);
        }
    }

    Entry remove(QueueId id) {
        Entry entry = entries.remove(id);
        if (entry != null) {
            unschedule(entry);
            bytes -= entry.size;
        }
        return entry;
    }

    /** Changes an entry; the schedule follows (an entry's sort key must not change inside it). */
    void change(Entry entry, Consumer<Entry> change) {
        unschedule(entry);
        change.accept(entry);
        entry.dueAt = dueAt(entry.envelope, entry.state);
        if (entry.waits() && entry.dueAt != null) {
            schedule.add(entry);
        }
    }

    private void unschedule(Entry entry) {
        // an entry without a due time (nothing open) is never in the schedule, and cannot be compared
        if (entry.dueAt != null) {
            schedule.remove(entry);
        }
    }

    /** Leases up to {@code limit} entries due at {@code now}, earliest due first. */
    List<QueuedMessage> take(Instant now, int limit) {
        List<QueuedMessage> taken = new ArrayList<>();
        for (Iterator<Entry> it = schedule.iterator(); it.hasNext() && taken.size() < limit; ) {
            Entry entry = it.next();
            if (entry.dueAt.isAfter(now)) {
                break;
            }
            it.remove();
            entry.leased = true;
            taken.add(entry.view());
        }
        return taken;
    }

    Optional<Instant> nextDue() {
        return schedule.isEmpty() ? Optional.empty() : Optional.of(schedule.first().dueAt);
    }

    List<QueuedMessage> listByArrival() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(BY_ARRIVAL);
        List<QueuedMessage> views = new ArrayList<>(sorted.size());
        for (Entry entry : sorted) {
            views.add(entry.view());
        }
        return views;
    }

    /**
     * The {@code limit} first by arrival after {@code after}, in one pass: a bounded heap whose
     * head is the newest kept, so a page of a million-message queue costs one walk, not a sort.
     */
    List<QueuedMessage> page(Optional<QueueCursor> after, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        QueueCursor from = after.orElse(null);
        PriorityQueue<Entry> kept = new PriorityQueue<>(Math.min(limit, entries.size()) + 1, BY_ARRIVAL.reversed());
        for (Entry entry : entries.values()) {
            if (from != null && !comesAfter(entry, from)) {
                continue;
            }
            if (kept.size() < limit) {
                kept.add(entry);
            } else if (BY_ARRIVAL.compare(entry, kept.peek()) < 0) {
                kept.poll();
                kept.add(entry);
            }
        }
        List<Entry> sorted = new ArrayList<>(kept);
        sorted.sort(BY_ARRIVAL);
        List<QueuedMessage> views = new ArrayList<>(sorted.size());
        for (Entry entry : sorted) {
            views.add(entry.view());
        }
        return views;
    }

    private static boolean comesAfter(Entry entry, QueueCursor cursor) {
        int byArrival = entry.envelope.arrival().compareTo(cursor.arrival());
        return byArrival != 0 ? byArrival > 0 : entry.id.compareTo(cursor.id()) > 0;
    }

    QueueSnapshot snapshot(Instant now) {
        long active = 0;
        long deferred = 0;
        long held = 0;
        Instant oldest = null;
        for (Entry entry : entries.values()) {
            if (entry.state.held()) {
                held++;
            } else if (entry.leased || (entry.dueAt != null && !entry.dueAt.isAfter(now))) {
                active++;
            } else {
                deferred++;
            }
            Instant arrival = entry.envelope.arrival();
            if (oldest == null || arrival.isBefore(oldest)) {
                oldest = arrival;
            }
        }
        return new QueueSnapshot(active, deferred, held, Optional.ofNullable(oldest), bytes);
    }
}
