package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk store: an append-only log of preallocated segment files written by one thread with
 * group commit, plus one file per body too large to carry inline. The on-disk format and the
 * recovery rules are described in the module's README and in {@link Recovery}.
 *
 * <p>Why a log rather than a file per message: on this class of machine creating a file costs
 * 0.6 to 0.9 ms, capping a file-per-message spool near 1 000 messages/s, while appending to a
 * preallocated file with one fdatasync per batch reaches tens of thousands.
 */
public final class SegmentSpoolStore implements SpoolStore {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSpoolStore.class);

    /** How long a free-space reading is used before the file system is asked again. */
    private static final long FREE_SPACE_MAX_AGE_NANOS = 100_000_000L;

    /** Free bytes as the file system said at {@code readAt} (System.nanoTime). */
    private record FreeSpace(long bytes, long readAt) {}

    private final SpoolLayout layout;
    private final SpoolTuning tuning;
    private final SpoolIndex index;
    private final SpoolWriter writer;
    private final Thread writerThread;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ExecutorService bodySync = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("spool-body-sync").daemon().factory());
    private final int maxPayload;
    private final long reserve;
    private final SegmentReaders readers;
    private final SpoolIo io;
    /**
     * Sizes the first buffer of a new draft: a little over recent bodies. Only a hint, so
     * updates from several threads may race.
     */
    private volatile int bodySizeHint;
    private volatile FreeSpace freeSpace;
    /** Bytes of spilled bodies written since {@link #freeSpace} was read from the file system. */
    private final AtomicLong spilledSinceFreeSpace = new AtomicLong();
    private final QueueEvents events;
    /** The replay of the old spool; null once it is done (then there is nothing left to hold ids for). */
    private volatile Recovery.Plan plan;
    /** Ids of the body files found at start: a new message must not take one (see {@link #holds}). */
    private final java.util.Set<QueueId> bodyFileIds;
    private final Recovery.Progress progress;
    /** Completes when the replay is merged; the messages found wait in {@link #found} for the queue to take them. */
    private final CompletableFuture<Void> recovery = new CompletableFuture<>();
    /** Handed over once and then dropped: a million of them must not stay reachable from a future. */
    private volatile List<StoredMessage> found = List.of();
    private final Thread recoveryThread;
    private volatile String recoveryFailure;
    private volatile boolean closed;

    private SegmentSpoolStore(SpoolLayout layout, SpoolTuning tuning, long reserve, SpoolIndex index,
            SpoolWriter writer, SegmentReaders readers, FileChannel lockFile, FileLock lock,
            Recovery.Plan plan, Recovery.Progress progress, SpoolIo io, QueueEvents events) {
        this.events = events;
        this.plan = plan;
        this.progress = progress;
        this.bodyFileIds = plan.bodyFiles().stream().map(file -> SpoolLayout.largeBodyId(file).orElseThrow())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.recoveryThread = new Thread(this::replayOldSegments, "spool-recovery");
        this.recoveryThread.setDaemon(true);
        this.layout = layout;
        this.reserve = reserve;
        this.io = io;
        this.readers = readers;
        this.maxPayload = SegmentLog.maxPayload(tuning.segmentSize());
        this.tuning = tuning;
        this.index = index;
        this.writer = writer;
        this.lockFile = lockFile;
        this.lock = lock;
        this.writerThread = new Thread(writer, "spool-writer");
        this.writerThread.setDaemon(true);
    }

    /**
     * Opens (creating if need be) the spool in {@code directory}, recovers what is there, and
     * starts the writer. Damaged files are moved to {@code corrupt/}; the store opens anyway.
     */
    public static SegmentSpoolStore open(Path directory, SpoolTuning tuning, QueueEvents events) throws IOException {
        return open(directory, tuning, 0, events);
    }

    /**
     * As {@link #open(Path, SpoolTuning, QueueEvents)}, leaving {@code reserve} bytes free on the
     * file system: segments are made smaller, or not at all, rather than go below it (see
     * {@link Preallocator}). The store opens whatever room there is.
     */
    public static SegmentSpoolStore open(Path directory, SpoolTuning tuning, long reserve, QueueEvents events)
            throws IOException {
        return open(directory, tuning, reserve, events, SpoolIo.FILE_SYSTEM);
    }

    static SegmentSpoolStore open(Path directory, SpoolTuning tuning, long reserve, QueueEvents events, SpoolIo io)
            throws IOException {
        SegmentSpoolStore store = openRecovering(directory, tuning, reserve, events, io, RecoveryPace.NONE);
        try {
            store.recovery.join();
        } catch (java.util.concurrent.CompletionException e) {
            store.close();
            throw e.getCause() instanceof IOException failed ? failed : new IOException(e.getCause().getMessage(), e.getCause());
        }
        return store;
    }

    /**
     * Opens the spool and starts its writer at once, on a new head segment, while the segments
     * already there are replayed by a thread of their own: new messages are taken meanwhile.
     * {@link #recovered()} completes with the messages found once the replay is merged. Until
     * then no segment is deleted or compacted, and no new message gets an id the old spool may
     * hold ({@link #holds}). A crash during the replay leaves the old segments as they were (the
     * last one sealed) and the new ones after them: the next start replays them all.
     */
    static SegmentSpoolStore openRecovering(Path directory, SpoolTuning tuning, long reserve, QueueEvents events,
            SpoolIo io, RecoveryPace pace) throws IOException {
        SpoolLayout layout = new SpoolLayout(directory);
        layout.createDirectories();
        FileChannel lockFile = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very process
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException("spool " + directory + " is in use by another process");
        }
        try {
            Recovery.Plan plan = Recovery.prepare(layout, events);
            SpoolIndex index = new SpoolIndex();
            SegmentReaders readers = new SegmentReaders(layout);
            SegmentLog log = SegmentLog.start(layout, plan.nextSegment(), tuning.segmentSize(),
                    new Preallocator(layout, tuning.segmentSize(), reserve, io, events), new SegmentLog.Listener() {
                        @Override
                        public void opened(long number, long size) {
                            synchronized (index) {
                                index.addSegment(number, false, size);
                            }
                        }

                        @Override
                        public void sealed(long number) {
                            synchronized (index) {
                                index.seal(number);
                            }
                        }
                    }, readers, io);
            SpoolWriter writer = new SpoolWriter(log, index, layout, events,
                    tuning.compactBelow(), tuning.removalSyncWithin().toNanos(), !plan.segments().isEmpty());
            long bytes = 0;
            for (long number : plan.segments()) {
                bytes += Files.size(layout.segment(number));
            }
            Recovery.Progress progress = new Recovery.Progress(pace, plan.segments().size(), bytes);
            SegmentSpoolStore store = new SegmentSpoolStore(layout, tuning, reserve, index, writer, readers, lockFile,
                    lock, plan, progress, io, events);
            store.writerThread.start();
            if (plan.segments().isEmpty()) {
                store.recoveryDone(List.of());
            } else {
                LOG.info("spool: replaying {} segments ({}) in the background; new mail is accepted meanwhile",
                        plan.segments().size(), Units.size(bytes));
                store.recoveryThread.start();
            }
            return store;
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /** The ids of the messages this store holds, for the queue's index to share (see {@link IdTable}). */
    IdTable ids() {
        return index.ids();
    }

    /** The replay, on its own thread: reads the old segments, then has the writer rewrite damaged ones. */
    private void replayOldSegments() {
        long started = System.nanoTime();
        try {
            Recovery.Result result = Recovery.replay(layout, events, plan, index, progress, () -> closed);
            CompletableFuture<Void> merged = writer.submit(new SpoolWriter.Task(log -> {
                synchronized (index) {
                    // body reads look positions up under this lock; rare (damaged segments only)
                    relocateDamaged(result.corrupt(), log, index, layout, events);
                }
                writer.recovered();
            }, new CompletableFuture<>()));
            merged.join();
            List<StoredMessage> messages;
            synchronized (index) {
                // what the index kept of each message found (arrival, state), made into messages as the queue reads them
                messages = index.takeRecovered();
            }
            LOG.info("spool: recovery complete, {} messages found in {} segments in {} ms", messages.size(),
                    plan.segments().size(), (System.nanoTime() - started) / 1_000_000);
            recoveryDone(messages);
        } catch (IOException | RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (!closed) {
                recoveryFailure = "the spool's recovery failed: "
                        + (cause.getMessage() != null ? cause.getMessage() : "an unexpected error");
                LOG.error("{}; new mail is refused until the relay is restarted", recoveryFailure);
                LOG.debug("the spool's recovery failed", cause);
            }
            recovery.completeExceptionally(cause);
        }
    }

    private void recoveryDone(List<StoredMessage> messages) {
        found = messages;
        plan = null;
        recovery.complete(null);
    }

    /** Rewrites what damaged segments still hold at the head, syncs, then moves them aside. */
    private static void relocateDamaged(Map<Long, List<Recovery.Tombstone>> damaged, SegmentLog log,
            SpoolIndex index, SpoolLayout layout, QueueEvents events) throws IOException {
        if (damaged.isEmpty()) {
            return;
        }
        List<Long> rescued = new ArrayList<>();
        for (Map.Entry<Long, List<Recovery.Tombstone>> entry : damaged.entrySet()) {
            long segment = entry.getKey();
            Relocation relocation = new Relocation(segment, index.idsIn(segment));
            List<Relocation.Moved> moved = relocation.step(log, index, Long.MAX_VALUE, false);
            if (!relocation.done()) {
                log.flush();
                Relocation.apply(index, moved);
                LOG.warn("segment {} is damaged, but the spool has no room to rewrite what it holds; it stays as it is"
                        + " until a start with more room", segment);
                continue;
            }
            List<Long> targets = new ArrayList<>(List.of(log.activeNumber()));
            for (Recovery.Tombstone tombstone : entry.getValue()) {
                if (index.slot(tombstone.id()) == null) {
                    RecordPos pos = log.append(RecordType.REMOVE, tombstone.payload());
                    if (!targets.contains(pos.segment())) {
                        targets.add(pos.segment());
                    }
                }
            }
            log.flush();
            Relocation.apply(index, moved);
            index.moveTombstones(segment, targets);
            rescued.add(segment);
        }
        log.sync();
        for (long segment : rescued) {
            log.release(segment);
            index.segmentRemoved(segment);
            Path file = layout.segment(segment);
            Path target = layout.moveToCorrupt(file);
            LOG.warn("moved damaged segment {} to {} after rewriting what could be read of it", file, target);
            events.corruptFileMoved(file.getFileName().toString(), "damaged segment, readable records kept");
        }
    }

    SpoolLayout layout() {
        return layout;
    }

    /** Completes when the writer is idle: no compaction under way, no dead segment left (tests). */
    CompletableFuture<Void> quiesce() {
        return writer.submit(new SpoolWriter.Barrier(new CompletableFuture<>()));
    }

    /** Hands the messages found over once (a second call gets none): the queue keeps them from then on. */
    @Override
    public CompletableFuture<List<StoredMessage>> recovered() {
        return recovery.thenApply(ignored -> {
            List<StoredMessage> messages = found;
            found = List.of();
            return messages;
        });
    }

    @Override
    public Optional<dev.relay.queue.RecoveryProgress> recovering() {
        return plan == null || recovery.isDone() ? Optional.empty() : Optional.of(progress.snapshot());
    }

    /**
     * Whether {@code id} may belong to the spool as it was found at start: a message already
     * replayed, or a body file that was there. While the replay runs the queue gives new messages
     * only ids for which this is false, so a new id never matches a message not yet replayed's
     * body file (which the orphan sweep would otherwise take for its own) nor one already read.
     * An old message not yet read cannot be asked about; its id differs from a new one by the
     * time and the random salt in every id (see {@link QueueIdGenerator}).
     */
    @Override
    public boolean holds(QueueId id) {
        if (plan == null) {
            return false;
        }
        if (bodyFileIds.contains(id)) {
            return true;
        }
        synchronized (index) {
            return index.slot(id) != null;
        }
    }

    @Override
    public StoreDraft newDraft(QueueId id) {
        ensureOpen();
        return new SegmentDraft(this, id, tuning.inlineBodyLimit(), bodySizeHint);
    }

    /** Told the size of each inline body at commit; new drafts start with a buffer that fits. */
    void bodySeen(int size) {
        int hint = bodySizeHint;
        // grow at once to fit a larger body (plus slack for the next one), shrink slowly; past
        // 64 KB a body grows by doubling, which costs little next to its size
        int wanted = Math.min(64 << 10, size + (size >> 3) + 256);
        if (wanted > hint) {
            bodySizeHint = wanted;
        } else if (wanted < hint - (hint >> 4)) {
            bodySizeHint = hint - (hint >> 6);
        }
    }

    /**
     * Refuses the next {@code bytes} of a spilled body when they would take the file system
     * below the reserve: the relay must not fill its disk by itself.
     */
    void checkRoomForBody(long bytes) throws IOException {
        long free = usableSpace();
        if (free - bytes < reserve) {
            throw new dev.relay.queue.SpoolFullException("no room for the message body: " + Units.size(free)
                    + " free on the spool's file system, " + Units.size(reserve) + " kept free (spool.min-free-space)");
        }
    }

    /** Counts spilled body bytes against the cached free space (see {@link #usableSpace()}). */
    void spilled(long bytes) {
        spilledSinceFreeSpace.addAndGet(bytes);
    }

    @Override
    public CompletableFuture<Void> update(QueueId id, MessageState state) {
        ensureOpen();
        return submit(new SpoolWriter.Update(id, RecordText.state(id, state), new CompletableFuture<>()));
    }

    @Override
    public CompletableFuture<Void> remove(QueueId id, RemovalReason reason) {
        ensureOpen();
        return submit(new SpoolWriter.Remove(id, RecordText.removal(id, reason),
                reason != RemovalReason.COMPLETED, new CompletableFuture<>()));
    }

    @Override
    public InputStream openBody(QueueId id) throws IOException {
        Optional<MessagePayload> record = messageRecord(id, true);
        if (record.isEmpty()) {
            // a file that went since the look-up fails as a message that is gone does: NoSuchFileException
            return Files.newInputStream(layout.largeBody(id));
        }
        MessagePayload payload = record.get();
        return new ByteArrayInputStream(payload.bytes(), payload.bodyFrom(), payload.bodyLength());
    }

    @Override
    public Envelope envelope(QueueId id) throws IOException {
        MessagePayload payload = messageRecord(id, false).orElseThrow();
        return RecordText.parseEnvelope(payload.bytes(), payload.envelopeFrom(), payload.envelopeLength()).envelope();
    }

    /**
     * The MESSAGE record of {@code id}; empty when {@code bodyFileFirst} and its body lies in a
     * file of its own. A message the spool does not hold fails with NoSuchFileException.
     */
    private Optional<MessagePayload> messageRecord(QueueId id, boolean bodyFileFirst) throws IOException {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            RecordPos pos;
            FileChannel channel;
            // looked up under the index lock, which a segment's deletion (and the closing of its
            // shared channel) also takes: the position and the channel belong together
            synchronized (index) {
                SpoolIndex.Slot slot = index.slot(id);
                if (slot == null) {
                    throw new NoSuchFileException("no message " + id + " in the spool");
                }
                if (bodyFileFirst && slot.bodyInFile) {
                    return Optional.empty();
                }
                pos = slot.message;
                channel = readers.channel(pos.segment());
            }
            try {
                return Optional.of(MessagePayload.parse(RecordFormat.readInPlace(channel, pos),
                        RecordFormat.HEADER_SIZE, pos.length()));
            } catch (java.nio.channels.ClosedChannelException e) {
                // compaction moved the message and its old segment went meanwhile: look again
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Free bytes, asked of the file system at most every 100 ms: admission asks up to three
     * times per message, and each answer is a statfs system call. Appends to a segment take no
     * new space (segments are preallocated, one at a time ahead of the writer); bodies spilled
     * to their own files do, and are subtracted from the cached figure until the next reading.
     */
    @Override
    public long usableSpace() throws IOException {
        long now = System.nanoTime();
        FreeSpace cached = freeSpace;
        if (cached == null || now - cached.readAt() > FREE_SPACE_MAX_AGE_NANOS) {
            spilledSinceFreeSpace.set(0);
            cached = new FreeSpace(io.usableSpace(layout.root), now);
            freeSpace = cached;
        }
        return cached.bytes() - spilledSinceFreeSpace.get();
    }

    @Override
    public Optional<String> failure() {
        String failed = recoveryFailure;
        return failed != null ? Optional.of(failed) : Optional.ofNullable(writer.failure());
    }

    @Override
    public boolean isStoreThread() {
        return Thread.currentThread() == writerThread;
    }

    CompletableFuture<Void> submit(SpoolWriter.Request request) {
        int payloadLength = switch (request) {
            case SpoolWriter.Commit commit -> commit.payloadLength();
            case SpoolWriter.Update update -> update.payload().length;
            case SpoolWriter.Remove remove -> remove.payload().length;
            default -> 0;
        };
        if (payloadLength > maxPayload) {
            // refused here: inside the writer it would stop the whole spool
            return CompletableFuture.failedFuture(new IOException("a record of " + payloadLength
                    + " bytes does not fit in a spool segment (envelope too large?)"));
        }
        return writer.submit(request);
    }

    /** Runs the fsync of a spilled body off the caller's thread. */
    CompletableFuture<Void> syncBodyFile(IoAction action) {
        ensureOpen();
        return CompletableFuture.runAsync(() -> {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, bodySync).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof UncheckedIOException io ? io.getCause() : cause);
        });
    }

    interface IoAction {
        void run() throws IOException;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the spool is closed");
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            // the replay looks at closed before each segment; it must not ask the writer for
            // anything once the writer has stopped
            recoveryThread.interrupt();
            if (recoveryThread.isAlive()) {
                recoveryThread.join();
            }
            bodySync.shutdown();
            bodySync.awaitTermination(1, TimeUnit.MINUTES);
            writer.stop().join();
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the spool", e);
        } finally {
            lock.release();
            lockFile.close();
        }
        if (writer.failedForGood()) {
            throw new IOException(writer.failure());
        }
    }
}
