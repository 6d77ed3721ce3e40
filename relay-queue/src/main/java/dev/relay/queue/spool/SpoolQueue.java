package dev.relay.queue.spool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.relay.outcome.Outcome;
import dev.relay.queue.Admission;
import dev.relay.queue.Envelope;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueCursor;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.QueueSnapshot;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.queue.SpoolFullException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The {@link MessageQueue}: scheduling, leases, retry schedule and admin actions in memory,
 * every change persisted through a {@link SpoolStore} before it is reported done.
 *
 * <p>One monitor guards the in-memory index; store calls made under it only enqueue work, so
 * the order of changes to one message is the order they reach the store. Callers wait for
 * durability outside the monitor. Events fire once a change is durable, outside the monitor.
 *
 * <p>Returned futures complete, and events fire, on the store's writer thread. Callbacks
 * there must be quick and must not call the blocking methods ({@link #hold}, {@link #release},
 * {@link #retryNow}, {@link #delete}): those wait for the writer, and fail fast when called on it.
 */
public final class SpoolQueue implements MessageQueue {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpoolQueue.class);
    /** Messages found at start added to the index per hold of the monitor. */
    private static final int LOAD_SLICE = 10_000;

    /** The longest a blocking call (hold, release, retry, delete) waits for its write. */
    private static final java.time.Duration WRITE_WAIT = java.time.Duration.ofSeconds(30);
    /** Envelopes kept in memory for delivery: a few seconds of traffic at several thousand a second. */
    private static final int RECENT_ENVELOPES = 16_384;

    private final SpoolStore store;
    /** Replaced whole by {@link #reconfigure}: a reader sees the old settings or the new, never a mix. */
    private volatile QueueSettings settings;
    private final Clock clock;
    private final QueueEvents events;
    private volatile RetryDecision retries;
    private final QueueIdGenerator ids;
    private final QueueIndex index;
    /**
     * The envelopes of messages committed or handed out and not yet attempted: the index holds
     * none, and a fresh message is usually delivered within milliseconds of its commit, so
     * delivery seldom reads one back from the spool. An attempt's result takes it out.
     */
    private final Cache<QueueId, Envelope> recent = Caffeine.newBuilder()
            .maximumSize(RECENT_ENVELOPES)
            .executor(Runnable::run)
            .build();
    private volatile boolean closed;
    /** How many messages found at start are being added to the index; -1 before that. */
    private volatile long merging = -1;
    private volatile dev.relay.queue.RecoveryProgress lastProgress;
    /** Completes once the messages the store found at start are in the index. */
    private final CompletableFuture<Void> recovery = new CompletableFuture<>();

    private SpoolQueue(SpoolStore store, QueueSettings settings, Clock clock, QueueEvents events) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.retries = new RetryDecision(settings.retrySchedule());
        this.ids = new QueueIdGenerator(clock);
        // one id table for the queue's index and the disk spool's: a million ids are 32 MB a table
        this.index = store instanceof SegmentSpoolStore segments ? new QueueIndex(segments.ids()) : new QueueIndex();
    }

    /** Opens the disk spool in {@code directory} (created if missing), recovering what is there. */
    public static SpoolQueue open(Path directory, QueueSettings settings, Clock clock, QueueEvents events)
            throws IOException {
        return open(directory, settings, SpoolTuning.DEFAULT, clock, events);
    }

    /** As {@link #open(Path, QueueSettings, Clock, QueueEvents)}, with other segment sizes. */
    public static SpoolQueue open(Path directory, QueueSettings settings, SpoolTuning tuning, Clock clock,
            QueueEvents events) throws IOException {
        SpoolQueue queue = openRecovering(directory, settings, tuning, clock, events, RecoveryPace.NONE);
        try {
            queue.awaitRecovery();
        } catch (IOException | RuntimeException e) {
            queue.close();
            throw e;
        }
        return queue;
    }

    /**
     * Opens the disk spool and returns at once, taking new messages while the messages already
     * there are read in the background ({@link #recovering()} says how far it has got); they
     * join the queue, and {@link QueueEvents#recovered} is told, once all are read. This is how
     * the relay opens its spool, so that a large queue does not keep its listeners shut.
     * {@code pace} is called before each old segment is read ({@link RecoveryPace#NONE} but in tests).
     */
    public static SpoolQueue openRecovering(Path directory, QueueSettings settings, SpoolTuning tuning, Clock clock,
            QueueEvents events, RecoveryPace pace) throws IOException {
        return overRecovering(SegmentSpoolStore.openRecovering(directory, tuning, settings.minFreeSpace(), events,
                SpoolIo.FILE_SYSTEM, pace), settings, clock, events);
    }

    /** A queue over any store; takes ownership of it. Returns once the store's messages are in the queue. */
    public static SpoolQueue over(SpoolStore store, QueueSettings settings, Clock clock, QueueEvents events) {
        SpoolQueue queue = overRecovering(store, settings, clock, events);
        try {
            queue.awaitRecovery();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queue;
    }

    /** A queue over a store that may still be reading its old messages; they join when it has. */
    static SpoolQueue overRecovering(SpoolStore store, QueueSettings settings, Clock clock, QueueEvents events) {
        SpoolQueue queue = new SpoolQueue(Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(events, "events"));
        store.recovered().whenComplete((messages, failure) -> {
            if (failure != null) {
                queue.recovery.completeExceptionally(failure);
                return;
            }
            try {
                queue.merging = messages.size();
                queue.load(messages);
                queue.recovery.complete(null);
            } catch (RuntimeException e) {
                queue.recovery.completeExceptionally(e);
            }
        });
        return queue;
    }

    /** Waits until the messages found at start are in the queue (at once if they already are). */
    public void awaitRecovery() throws IOException {
        try {
            recovery.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /**
     * Applies a new retry schedule (and lifetime) and message cap to what happens from now on: a
     * recipient deferred after this call gets its next try by the new schedule; tries already
     * scheduled keep their time. The free-space floor stays as opened (the store was opened with
     * it), so a change of it needs a restart.
     */
    public void reconfigure(RetrySchedule retrySchedule, long maxMessages) {
        QueueSettings now = settings;
        QueueSettings next = new QueueSettings(retrySchedule, now.minFreeSpace(), maxMessages);
        this.retries = new RetryDecision(next.retrySchedule());
        this.settings = next;
    }

    /**
     * Adds the messages found at start, in slices: the monitor is let go between them, so commits
     * and deliveries of new mail go on while a million are added.
     */
    private void load(List<StoredMessage> stored) {
        List<QueueId> complete = new ArrayList<>();
        int added = 0;
        for (int from = 0; from < stored.size(); from += LOAD_SLICE) {
            synchronized (this) {
                for (StoredMessage message : stored.subList(from, Math.min(stored.size(), from + LOAD_SLICE))) {
                    if (message.state().isComplete()) {
                        complete.add(message.id());
                    } else if (index.slot(message.id()) >= 0) {
                        // cannot happen (see SpoolStore#holds); kept out rather than replacing a new message
                        LOG.error("message {} was found at start but a new message has the same id; the old one is"
                                + " left out of the queue", message.id());
                    } else {
                        // scheduled at once, placed in the listing order below: one sort, not a million insertions
                        index.addUnordered(message.id(), message.arrival(), message.size(), message.state());
                        added++;
                    }
                }
            }
        }
        synchronized (this) {
            index.sortOrder();
        }
        complete.forEach(id -> store.remove(id, RemovalReason.COMPLETED));
        if (!stored.isEmpty()) {
            events.recovered(added);
        }
    }

    /**
     * The store's progress while it replays; then, while the messages found are added to the
     * index (a second or two for a million), the last progress seen with the full count.
     */
    @Override
    public Optional<dev.relay.queue.RecoveryProgress> recovering() {
        if (recovery.isDone()) {
            return Optional.empty();
        }
        Optional<dev.relay.queue.RecoveryProgress> replay = store.recovering();
        if (replay.isPresent()) {
            lastProgress = replay.get();
            return replay;
        }
        long found = merging;
        if (found < 0) {
            return Optional.empty(); // a store that reads nothing in the background
        }
        dev.relay.queue.RecoveryProgress last = lastProgress;
        return Optional.of(last == null ? new dev.relay.queue.RecoveryProgress(0, 0, found, 0, 0)
                : new dev.relay.queue.RecoveryProgress(last.segments(), last.segments(), found, last.bytes(), last.bytes()));
    }

    @Override
    public Admission admission() {
        ensureOpen();
        Optional<String> failure = store.failure();
        if (failure.isPresent()) {
            return new Admission.Refused(failure.get());
        }
        long queued = queuedCount();
        if (settings.maxMessages() > 0 && queued >= settings.maxMessages()) {
            return new Admission.Refused("the queue is full: " + queued + " messages");
        }
        try {
            long free = store.usableSpace();
            if (free < settings.minFreeSpace()) {
                return new Admission.Refused("the spool disk is nearly full: " + free + " bytes free, "
                        + settings.minFreeSpace() + " required");
            }
        } catch (IOException e) {
            return new Admission.Refused("cannot tell the spool's free disk space: " + e.getMessage());
        }
        return Admission.OPEN;
    }

    private synchronized long queuedCount() {
        return index.size();
    }

    @Override
    public MessageDraft newDraft() throws IOException {
        ensureOpen();
        QueueId id;
        synchronized (this) {
            do {
                id = ids.next();
            } while (index.slot(id) >= 0 || store.holds(id));
        }
        return new Draft(id, store.newDraft(id));
    }

    @Override
    public Optional<QueuedMessage> find(QueueId id) {
        ensureOpen();
        Row row;
        synchronized (this) {
            int slot = index.slot(id);
            if (slot < 0) {
                return Optional.empty();
            }
            row = row(slot);
        }
        try {
            return Optional.of(view(row, false));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream openBody(QueueId id) throws IOException {
        ensureOpen();
        return store.openBody(id);
    }

    @Override
    public List<QueuedMessage> takeDue(Instant now, int limit) {
        ensureOpen();
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<Row> rows;
        synchronized (this) {
            rows = rows(index.take(now, limit));
        }
        // the envelopes are read outside the monitor: a handed-out message stays queued
        List<QueuedMessage> taken = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                taken.add(view(rows.get(i), true));
            } catch (NoSuchFileException e) {
                // deleted by an admin meanwhile: nothing to deliver
            } catch (IOException e) {
                rows.subList(i, rows.size()).forEach(row -> giveBack(row.id()));
                throw new UncheckedIOException(e);
            }
        }
        return taken;
    }

    @Override
    public synchronized Optional<Instant> nextDue() {
        ensureOpen();
        return index.nextDue();
    }

    @Override
    public CompletableFuture<QueuedMessage> recordResults(QueueId id, Map<Integer, ? extends Outcome> results) {
        Objects.requireNonNull(results, "results");
        Instant now = clock.instant();
        List<Integer> changed = new ArrayList<>();
        QueuedMessage after;
        CompletableFuture<Void> write;
        ensureOpen();
        Envelope envelope;
        try {
            envelope = envelope(id, false);
        } catch (NoSuchFileException e) {
            return CompletableFuture.failedFuture(new NoSuchElementException("message " + id + " is not queued"));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            ensureOpen();
            int slot = index.slot(id);
            if (slot < 0) {
                return CompletableFuture.failedFuture(new NoSuchElementException("message " + id + " is not queued"));
            }
            MessageState current = index.state(slot);
            Instant arrival = index.arrival(slot);
            int recipients = current.statuses().size();
            for (int i : results.keySet()) {
                if (i < 0 || i >= recipients) {
                    throw new IllegalArgumentException("message " + id + " has no recipient " + i);
                }
            }
            int attempts = current.attempts() + 1;
            List<RecipientStatus> statuses = new ArrayList<>(current.statuses());
            results.forEach((i, result) -> {
                if (!statuses.get(i).isFinal()) {
                    statuses.set(i, retries.statusAfter(result, arrival, attempts, now));
                    changed.add(i);
                }
            });
            MessageState state = current.withStatuses(statuses, attempts);
            index.change(slot, state, false);
            after = view(id, envelope, state, index.bodySize(slot));
            // done with, or not wanted again before its next try, minutes away: the room is for fresh ones
            recent.invalidate(id);
            if (state.isComplete()) {
                index.remove(slot);
                write = store.remove(id, RemovalReason.COMPLETED);
            } else {
                write = store.update(id, state);
            }
        }
        changed.sort(null);
        return write.thenApply(ignored -> {
            for (int i : changed) {
                events.recipientUpdated(after, i, after.statuses().get(i));
            }
            if (after.isComplete()) {
                events.completed(after);
            }
            return after;
        });
    }

    @Override
    public synchronized void giveBack(QueueId id) {
        ensureOpen();
        int slot = index.slot(id);
        if (slot >= 0 && index.leased(slot)) {
            index.change(slot, index.state(slot), false);
        }
    }

    @Override
    public boolean hold(QueueId id) {
        return changeState(id, state -> state.held() ? state : state.withHeld(true));
    }

    @Override
    public boolean release(QueueId id) {
        Instant now = clock.instant();
        return changeState(id, state -> state.held() ? dueNow(state, now).withHeld(false) : state);
    }

    @Override
    public boolean retryNow(QueueId id) {
        Instant now = clock.instant();
        return changeState(id, state -> dueNow(state, now));
    }

    /** Applies a state change, persists it if anything changed, and waits until it is durable. */
    private boolean changeState(QueueId id, Function<MessageState, MessageState> change) {
        CompletableFuture<Void> write;
        synchronized (this) {
            ensureOpen();
            int slot = index.slot(id);
            if (slot < 0) {
                return false;
            }
            MessageState current = index.state(slot);
            MessageState state = change.apply(current);
            if (state.equals(current)) {
                return true;
            }
            index.change(slot, state, index.leased(slot));
            write = store.update(id, state);
        }
        await(write);
        return true;
    }

    private static MessageState dueNow(MessageState state, Instant now) {
        List<RecipientStatus> statuses = new ArrayList<>(state.statuses());
        for (int i = 0; i < statuses.size(); i++) {
            if (statuses.get(i) instanceof RecipientStatus.Deferred deferred && deferred.nextAttempt().isAfter(now)) {
                statuses.set(i, new RecipientStatus.Deferred(now, deferred.outcome()));
            }
        }
        return state.withStatuses(statuses, state.attempts());
    }

    @Override
    public boolean delete(QueueId id) {
        QueuedMessage removed;
        CompletableFuture<Void> write;
        ensureOpen();
        Envelope envelope;
        try {
            envelope = envelope(id, false);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            ensureOpen();
            int slot = index.slot(id);
            if (slot < 0) {
                return false;
            }
            removed = view(id, envelope, index.state(slot), index.bodySize(slot));
            index.remove(slot);
            recent.invalidate(id);
            write = store.remove(id, RemovalReason.DELETED);
        }
        await(write);
        events.deleted(removed);
        return true;
    }

    @Override
    public CompletableFuture<Boolean> markDelayWarned(QueueId id) {
        CompletableFuture<Void> write;
        synchronized (this) {
            ensureOpen();
            int slot = index.slot(id);
            if (slot < 0 || index.state(slot).delayWarned()) {
                return CompletableFuture.completedFuture(false);
            }
            index.change(slot, index.state(slot).withDelayWarned(), index.leased(slot));
            MessageState state = index.state(slot);
            write = store.update(id, state);
        }
        return write.thenApply(ignored -> true);
    }

    @Override
    public List<QueuedMessage> list() {
        ensureOpen();
        List<Row> rows;
        synchronized (this) {
            rows = rows(index.all());
        }
        return views(rows);
    }

    @Override
    public List<QueuedMessage> oldest(int limit) {
        return page(Optional.empty(), limit);
    }

    /** A binary search and a walk of {@code limit} under the monitor; the envelopes are read after it. */
    @Override
    public List<QueuedMessage> page(Optional<QueueCursor> after, int limit) {
        ensureOpen();
        List<Row> rows;
        synchronized (this) {
            rows = rows(index.page(after, limit));
        }
        return views(rows);
    }

    /** What the index says of one message, taken under the monitor; its envelope is read after. */
    private record Row(QueueId id, MessageState state, long size) {}

    private Row row(int slot) {
        return new Row(index.id(slot), index.state(slot), index.bodySize(slot));
    }

    private List<Row> rows(int[] slots) {
        List<Row> rows = new ArrayList<>(slots.length);
        for (int slot : slots) {
            rows.add(row(slot));
        }
        return rows;
    }

    /** Views for a listing: a message removed since its row was taken is left out. */
    private List<QueuedMessage> views(List<Row> rows) {
        List<QueuedMessage> views = new ArrayList<>(rows.size());
        for (Row row : rows) {
            try {
                views.add(view(row, false));
            } catch (NoSuchFileException e) {
                // removed meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return views;
    }

    private QueuedMessage view(Row row, boolean keep) throws IOException {
        return view(row.id(), envelope(row.id(), keep), row.state(), row.size());
    }

    private static QueuedMessage view(QueueId id, Envelope envelope, MessageState state, long size) {
        return new QueuedMessage(id, envelope, state.statuses(), size, state.attempts(), state.held(),
                state.delayWarned());
    }

    /**
     * The envelope, from the recent ones or else from the spool; {@code keep} makes one read from
     * the spool recent (delivery's, whose results follow), a listing's is not kept.
     */
    private Envelope envelope(QueueId id, boolean keep) throws IOException {
        Envelope envelope = recent.getIfPresent(id);
        if (envelope == null) {
            envelope = store.envelope(id);
            if (keep) {
                recent.put(id, envelope);
            }
        }
        return envelope;
    }

    @Override
    public synchronized QueueSnapshot snapshot() {
        ensureOpen();
        return index.snapshot(clock.instant());
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        store.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
    }

    /**
     * Waits for a write, at most {@link #WRITE_WAIT}: a spool with no room keeps state changes
     * waiting until there is (see the module's README), and an admin call must not hang that long.
     * The change holds in memory meanwhile and is written as soon as the spool can.
     */
    private void await(CompletableFuture<Void> write) {
        if (store.isStoreThread() && !write.isDone()) {
            throw new IllegalStateException("a blocking queue call on the spool's writer thread would never return;"
                    + " call it from another thread (e.g. use the *Async variants of the future's callbacks)");
        }
        try {
            write.get(WRITE_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new UncheckedIOException(new SpoolFullException("the spool could not record this within "
                    + WRITE_WAIT.toSeconds() + " s (no room on its disk?); it is written as soon as the spool can"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while waiting for the spool"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new CompletionException(e.getCause());
        }
    }

    /** A message being received; joins the index once the store says it is durable. */
    private final class Draft implements MessageDraft {
        private final QueueId id;
        private final StoreDraft body;
        private boolean committed;

        Draft(QueueId id, StoreDraft body) {
            this.id = id;
            this.body = body;
        }

        @Override
        public QueueId id() {
            return id;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ensureOpen();
            body.write(bytes, offset, length);
        }

        @Override
        public long size() {
            return body.size();
        }

        @Override
        public CompletableFuture<QueueId> commit(Envelope envelope) {
            Objects.requireNonNull(envelope, "envelope");
            ensureOpen();
            if (committed) {
                throw new IllegalStateException("message " + id + " is already committed");
            }
            committed = true;
            MessageState state = MessageState.initial(envelope.recipients().size());
            long size = body.size();
            return body.commit(envelope, state).thenApply(ignored -> {
                recent.put(id, envelope);
                synchronized (SpoolQueue.this) {
                    index.add(id, envelope.arrival(), size, state);
                }
                events.accepted(view(id, envelope, state, size));
                return id;
            });
        }

        @Override
        public void close() {
            if (!committed) {
                committed = true;
                body.discard();
            }
        }
    }
}
