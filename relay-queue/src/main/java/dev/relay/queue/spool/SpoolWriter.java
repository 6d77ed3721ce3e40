package dev.relay.queue.spool;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.SpoolFullException;
import dev.relay.queue.WriteFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the spool (group commit).
 *
 * <p>Each turn it takes every request queued so far, appends their records, fsyncs once
 * (fdatasync: segments are preallocated, so no metadata changes), applies them to the index,
 * and only then completes their futures. So a commit never completes before its bytes are on
 * stable storage, and N concurrent commits cost one sync. Between turns it deletes segments
 * nothing needs any more and moves a little of a compaction forward (synced on its own).
 *
 * <p>The removal of a delivered message is the one record that does not wait for a sync of
 * its own: a turn of nothing else is written to the file and synced with the next turn that
 * syncs, or within {@link SpoolTuning#removalSyncWithin} (a second) at the latest. Lost in a
 * crash, such a removal means the message is delivered again (as with an MTA that does not
 * sync its queue directory on removal), never that mail is lost. Without it a relay that
 * delivers as fast as it accepts syncs twice per message, once for the message and once for
 * its removal. A segment that holds such a removal is synced before anything may depend on it
 * (when the head rolls over), and an operator's delete is synced like everything else.
 *
 * <p>A full disk or a failed write is a passing state, not the end of the writer:
 * <ul>
 * <li>a new message the log has no room for is refused before any of it is written, and the
 *     spool reports itself full ({@link #failure()}) until a segment for new mail can be had;</li>
 * <li>state changes and removals use room new mail may not (see {@link Preallocator}); when
 *     even that is missing they wait, in order, and are written once there is room;</li>
 * <li>after a failed write or sync, what was appended since the last sync is overwritten with
 *     zeros and synced before the failed requests are told, so a message reported as not
 *     queued never comes back at the next start.</li>
 * </ul>
 * While short of room the writer looks again every second and after deleting segments.
 *
 * <p>The index is changed only here, under its monitor, once the records are durable: a
 * record undone after a failure was never visible. Nobody else writes, so ordering is simply
 * queue order.
 */
final class SpoolWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolWriter.class);
    private static final int MAX_BATCH = 1024;
    private static final long COMPACTION_STEP_BYTES = 1 << 20;

    sealed interface Request {
        CompletableFuture<Void> done();
    }

    /**
     * A new message. Its record's payload is {@code head} (envelope and state, see
     * {@link MessagePayload#head}) followed by {@code body[0, bodyLength)}, the inline body.
     */
    @SuppressWarnings("ArrayRecordComponent") // requests carry their bytes to the writer thread without copies; never compared
    record Commit(QueueId id, byte[] head, byte[] body, int bodyLength, boolean bodyInFile, long bodySize,
            CompletableFuture<Void> done) implements Request {
        int payloadLength() {
            return head.length + bodyLength;
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // requests carry their bytes to the writer thread without copies; never compared
    record Update(QueueId id, byte[] payload, CompletableFuture<Void> done) implements Request {}

    /**
     * A removal; {@code syncNow} false for a message whose every recipient is done, whose record
     * may wait for the next sync (see the class comment).
     */
    @SuppressWarnings("ArrayRecordComponent") // requests carry their bytes to the writer thread without copies; never compared
    record Remove(QueueId id, byte[] payload, boolean syncNow, CompletableFuture<Void> done) implements Request {}

    record Stop(CompletableFuture<Void> done) implements Request {}

    /** Completes once the writer has nothing left to do: no compaction running, no dead segment left. */
    record Barrier(CompletableFuture<Void> done) implements Request {}

    /** Work with the log that must run on the writer's thread, after its turn's records are synced. */
    record Task(LogWork work, CompletableFuture<Void> done) implements Request {}

    /** What a {@link Task} does; given the log, which only the writer's thread may use. */
    @FunctionalInterface
    interface LogWork {
        void run(SegmentLog log) throws IOException;
    }

    /** How long a failed write keeps new mail out before the next commit tries the disk again. */
    private static final long IO_FAILURE_HOLD_NANOS = 5_000_000_000L;
    private static final long COMPACTION_PAUSE_NANOS = 60_000_000_000L;
    private static final long FAILURE_LOG_EVERY_NANOS = 60_000_000_000L;
    /** How often the writer looks for room again while it has none. */
    private static final long ROOM_CHECK_MILLIS = 1_000;

    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final SegmentLog log;
    private final SpoolIndex index;
    private final SpoolLayout layout;
    private final QueueEvents events;
    private final double compactBelow;
    /** How long a removal written without a sync waits for one at most. */
    private final long removalSyncNanos;
    private volatile boolean accepting = true;
    /** Set by an unexpected error (a bug): the writer is gone. */
    private volatile String fatal;
    /** Why new mail cannot be written now, while the spool has no room for it. */
    private volatile String noRoom;
    /** The last failed write, and when (System.nanoTime): new mail waits a little before trying again. */
    private volatile String ioFailure;
    private volatile long ioFailureAt;
    private long failureLoggedAt = System.nanoTime() - FAILURE_LOG_EVERY_NANOS;
    private int failuresNotLogged;
    private Relocation compaction;
    /** When compaction last failed to write (System.nanoTime); it waits a while before it starts again. */
    private long compactionPausedAt = System.nanoTime() - COMPACTION_PAUSE_NANOS;
    /**
     * State changes and removals that found no room, oldest first, with everything of their kind
     * after them (so the order of changes to a message stays). Written as soon as room comes
     * back; their futures complete then.
     */
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /** Whether the wait for room to record results was reported (once per wait). */
    private boolean resultsWaiting;
    /** Body files of messages removed in this turn, deleted once the removal is synced. */
    private final List<QueueId> bodiesToDelete = new ArrayList<>();
    private final List<Barrier> barriers = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    /**
     * While the old spool is replayed into the index, no segment is deleted or compacted: the
     * replay adds old segments and their messages bit by bit, so a segment may look dead or
     * nearly empty before all of it is read. Cleared by {@link #recovered}.
     */
    private boolean recovering;
    /** Removals written since the last sync, without one of their own (see the class comment). */
    private final List<Request> writtenUnsynced = new ArrayList<>();
    /** When the first of {@link #writtenUnsynced} was written (System.nanoTime); read only while there is one. */
    private long unsyncedSince;

    SpoolWriter(SegmentLog log, SpoolIndex index, SpoolLayout layout, QueueEvents events, double compactBelow,
            long removalSyncNanos, boolean recovering) {
        this.removalSyncNanos = removalSyncNanos;
        this.recovering = recovering;
        this.log = log;
        this.index = index;
        this.layout = layout;
        this.events = events;
        this.compactBelow = compactBelow;
        if (!log.headForMail()) {
            // opened with little room: deliveries can be recorded, new mail waits for room
            noRoom = log.startProblem().orElse("the spool's disk has no room for new mail (spool.min-free-space)");
            LOG.warn("the spool is full: new mail gets 452 until there is room again ({})", noRoom);
            events.spoolWriteFailed(WriteFailure.NO_SPACE);
            events.spoolWritable(false);
        }
    }

    /** Why the spool takes no new mail now, if it does not: no room, a recent write failure, or a stopped writer. */
    String failure() {
        String reason = fatal;
        if (reason != null) {
            return reason;
        }
        reason = noRoom;
        if (reason != null) {
            return reason;
        }
        reason = ioFailure;
        if (reason != null && System.nanoTime() - ioFailureAt < IO_FAILURE_HOLD_NANOS) {
            return reason;
        }
        return null;
    }

    /** Whether the writer stopped for good (an unexpected error). */
    boolean failedForGood() {
        return fatal != null;
    }

    CompletableFuture<Void> submit(Request request) {
        if (!accepting) {
            reject(request);
        } else {
            queue.add(request);
            if (!accepting) {
                // the writer stopped between the check and the add: nobody will take it
                rejectPending();
            }
        }
        return request.done();
    }

    /** Asks the writer to finish what is queued, seal and close; the future completes then. */
    CompletableFuture<Void> stop() {
        accepting = false;
        Stop stop = new Stop(new CompletableFuture<>());
        queue.add(stop);
        if (fatal != null) {
            rejectPending(); // the writer is gone; nobody else will complete the stop
        }
        return stop.done();
    }

    @Override
    public void run() {
        List<Request> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                Request first = next();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                if (shortOfRoom()) {
                    lookForRoom();
                }
                boolean stopping = turn(batch);
                runTasks();
                if (stopping) {
                    finish(batch);
                    return;
                }
                if (recovering) {
                    barriers.forEach(barrier -> barrier.done().complete(null));
                    barriers.clear();
                    continue;
                }
                try {
                    deleteDeadSegments();
                } catch (IOException e) {
                    // the files stay; the next turn tries again
                    LOG.warn("could not delete a spool segment nothing needs any more: {}", e.getMessage());
                }
                if (compaction != null && !compaction.stalled()) {
                    compact();
                }
                startCompaction();
                if (compaction == null || compaction.stalled()) {
                    barriers.forEach(barrier -> barrier.done().complete(null));
                    barriers.clear();
                }
            }
        } catch (Throwable e) {
            fail(e, batch);
        }
    }

    /** The replay of the old spool is merged into the index: segments may be deleted and compacted again. */
    void recovered() {
        recovering = false;
    }

    private void runTasks() throws IOException {
        for (Task task : tasks) {
            try {
                task.work().run(log);
                task.done().complete(null);
            } catch (IOException | RuntimeException e) {
                task.done().completeExceptionally(e);
            }
        }
        tasks.clear();
    }

    /**
     * The next request: at once while compacting, within a second while short of room, by the
     * time a removal written without a sync is due one, else when one comes.
     */
    private Request next() throws InterruptedException {
        if (compaction != null && !compaction.stalled()) {
            return queue.poll();
        }
        if (shortOfRoom()) {
            return queue.poll(ROOM_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (!writtenUnsynced.isEmpty()) {
            // nothing coming before the deadline: an empty turn syncs what waits
            long wait = nanosUntilSyncDue();
            return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
        }
        return queue.take();
    }

    private boolean shortOfRoom() {
        return noRoom != null || !waiting.isEmpty() || (compaction != null && compaction.stalled());
    }

    /**
     * While short of room: asks for a segment again if free space grew (a segment was deleted,
     * the operator freed some), writes what was waiting, and takes new mail again once a segment
     * for it can be had.
     */
    private void lookForRoom() throws IOException {
        Preallocator preallocator = log.preallocator();
        try {
            preallocator.retryIfRoom(log.nextNumber());
        } catch (IOException e) {
            LOG.debug("cannot read the spool's free space: {}", e.toString());
            return;
        }
        if (!waiting.isEmpty()) {
            List<Request> retry = new ArrayList<>(waiting);
            waiting.clear();
            turn(retry);
            if (waiting.isEmpty()) {
                resultsWaiting = false;
                LOG.info("the spool can write again: {} waiting state changes and removals are written", retry.size());
            }
        }
        if (noRoom != null && roomForMail(preallocator)) {
            noRoom = null;
            LOG.info("the spool has room again: new mail is accepted");
            events.spoolWritable(true);
        }
        if (compaction != null && compaction.stalled() && roomForMail(preallocator)) {
            compact();
        }
    }

    /**
     * Whether a new segment for mail can be had. Not whether the head could take a small
     * message: once full, the spool stays full until it has room for any message, rather than
     * flip between full and not with every message size.
     */
    private boolean roomForMail(Preallocator preallocator) {
        try {
            return preallocator.await(log.nextNumber(), true).forMail();
        } catch (IOException e) {
            return false;
        }
    }


    /**
     * Appends the records of a batch, syncs once, applies them to the index and completes their
     * futures; true if a stop was among them. A new message the log has no room for is refused
     * before any of it is written; a state change or removal waits for room. After any other
     * write or sync failure the records not yet durable are undone on disk before their futures
     * fail, so that what was reported as failed never comes back at the next start.
     */
    private boolean turn(List<Request> batch) {
        boolean stopping = false;
        List<Request> written = new ArrayList<>(batch.size());
        List<RecordPos> positions = new ArrayList<>(batch.size());
        // an empty turn is the writer idle or out of time: what waits for a sync gets it now
        boolean sync = batch.isEmpty() || (!writtenUnsynced.isEmpty() && nanosUntilSyncDue() <= 0);
        int next = 0;
        try {
            for (; next < batch.size(); next++) {
                Request request = batch.get(next);
                sync |= !(request instanceof Remove remove) || remove.syncNow();
                switch (request) {
                    case Stop stop -> stopping = true;
                    case Barrier barrier -> barriers.add(barrier);
                    case Task task -> tasks.add(task);
                    case Commit commit -> {
                        try {
                            positions.add(log.append(RecordType.MESSAGE, commit.head(), commit.body(),
                                    commit.bodyLength(), true));
                            written.add(commit);
                        } catch (SpoolFullException e) {
                            noRoomForMail(e);
                            commit.done().completeExceptionally(e);
                        }
                    }
                    case Update update -> appendOrWait(update, RecordType.STATE, update.payload(), written, positions);
                    case Remove remove -> appendOrWait(remove, RecordType.REMOVE, remove.payload(), written, positions);
                }
            }
            if (sync) {
                log.sync();
            } else {
                log.flush();
            }
        } catch (IOException e) {
            List<Request> notWritten = batch.subList(next, batch.size());
            for (Request request : notWritten) {
                stopping |= request instanceof Stop;
                if (request instanceof Barrier barrier) {
                    barriers.add(barrier);
                }
                if (request instanceof Task task) {
                    tasks.add(task);
                }
            }
            writeFailed(e, written, positions, notWritten);
            return stopping;
        }
        apply(written, positions);
        counted(written, sync); // before the futures: whoever waits on one sees the sync counted
        written.forEach(request -> request.done().complete(null));
        removeLargeBodies();
        return stopping;
    }

    /**
     * After a turn: reports a sync with the records it made durable, removals of earlier turns
     * written without one included; or keeps the turn's removals until a sync.
     */
    private void counted(List<Request> written, boolean synced) {
        if (!synced) {
            if (writtenUnsynced.isEmpty()) {
                unsyncedSince = System.nanoTime();
            }
            writtenUnsynced.addAll(written);
            return;
        }
        int records = writtenUnsynced.size() + written.size();
        if (records > 0) {
            events.synced(records);
        }
        writtenUnsynced.clear();
    }

    /** How long the oldest removal written without a sync may still wait for one. */
    private long nanosUntilSyncDue() {
        return removalSyncNanos - (System.nanoTime() - unsyncedSince);
    }

    /**
     * The log's unsynced tail was undone after a failure: removals written without a sync in
     * earlier turns went with it. They are written again before anything else that waits (their
     * futures completed already), so a failing sync costs no second delivery.
     */
    private void rewriteUnsynced() {
        for (int i = writtenUnsynced.size() - 1; i >= 0; i--) {
            waiting.addFirst(writtenUnsynced.get(i));
        }
        writtenUnsynced.clear();
    }

    private void appendOrWait(Request request, RecordType type, byte[] payload, List<Request> written,
            List<RecordPos> positions) throws IOException {
        if (!waiting.isEmpty()) {
            waiting.add(request);
            return;
        }
        try {
            positions.add(log.append(type, payload));
            written.add(request);
        } catch (SpoolFullException e) {
            waiting.add(request);
            if (!resultsWaiting) {
                resultsWaiting = true;
                LOG.warn("the spool has no room to record delivery results and removals ({}); they wait in memory"
                        + " and are written as soon as there is room", e.getMessage());
                events.spoolWriteFailed(WriteFailure.NO_SPACE);
            }
        }
    }

    private void noRoomForMail(SpoolFullException e) {
        if (noRoom == null) {
            noRoom = e.getMessage();
            LOG.warn("the spool is full: new mail gets 452 until there is room again ({})", e.getMessage());
            events.spoolWriteFailed(WriteFailure.NO_SPACE);
            events.spoolWritable(false);
        }
    }

    /** Applies written records to the index, in order, once they are durable. */
    private void apply(List<Request> written, List<RecordPos> positions) {
        synchronized (index) {
            for (int i = 0; i < written.size(); i++) {
                RecordPos pos = positions.get(i);
                switch (written.get(i)) {
                    case Commit commit -> index.message(commit.id(), pos, commit.bodyInFile(), commit.bodySize());
                    case Update update -> index.state(update.id(), pos);
                    case Remove remove -> {
                        SpoolIndex.Slot slot = index.remove(remove.id(), pos);
                        if (slot != null && slot.bodyInFile) {
                            bodiesToDelete.add(remove.id());
                        }
                    }
                    case Stop stop -> { }
                    case Barrier barrier -> { }
                    case Task task -> { }
                }
            }
        }
    }

    /**
     * A write or sync failed: the records that are durable all the same (synced when the log
     * moved to a new segment) count as written; the others are undone on disk. New messages
     * then fail (the client is told "not queued", which is true now); state changes and
     * removals wait and are tried again, in order, with the rest of the batch's.
     */
    private void writeFailed(IOException e, List<Request> written, List<RecordPos> positions, List<Request> notWritten) {
        List<Request> durable = new ArrayList<>();
        List<RecordPos> durablePositions = new ArrayList<>();
        List<Request> undone = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            if (log.isDurable(positions.get(i))) {
                durable.add(written.get(i));
                durablePositions.add(positions.get(i));
            } else {
                undone.add(written.get(i));
            }
        }
        boolean clean = log.discardUnsynced();
        WriteFailure reason = NoSpace.is(e) ? WriteFailure.NO_SPACE : WriteFailure.IO_ERROR;
        ioFailure = "the spool could not write: " + e.getMessage();
        ioFailureAt = System.nanoTime();
        List<Request> refused = new ArrayList<>();
        List<Request> retry = new ArrayList<>();
        int undoneRetries = (int) undone.stream().filter(request -> !(request instanceof Commit)).count();
        for (Request request : concat(undone, notWritten)) {
            switch (request) {
                case Commit commit -> refused.add(commit);
                case Update update -> retry.add(update);
                case Remove remove -> retry.add(remove);
                case Stop stop -> { }
                case Barrier barrier -> { }
                case Task task -> { }
            }
        }
        // the undone ones came before anything already waiting; the batch's others after it
        for (int i = undoneRetries - 1; i >= 0; i--) {
            waiting.addFirst(retry.get(i));
        }
        waiting.addAll(retry.subList(undoneRetries, retry.size()));
        rewriteUnsynced();
        // told before any future completes: whoever waits on one sees the event already counted
        long now = System.nanoTime();
        if (!clean || now - failureLoggedAt >= FAILURE_LOG_EVERY_NANOS) {
            // a disk that keeps failing (retried every second) gets one line a minute, with the count
            LOG.error("spool write failed ({}): {} new messages refused, {} state changes and removals wait to be"
                    + " written again{}{}", e.getMessage(), refused.size(), waiting.size(),
                    failuresNotLogged == 0 ? "" : "; " + failuresNotLogged + " more failures since the last such line",
                    clean ? "" : " (the failed writes could not be undone: some may come back at the next start)");
            failureLoggedAt = now;
            failuresNotLogged = 0;
        } else {
            failuresNotLogged++;
        }
        events.spoolWriteFailed(reason);
        apply(durable, durablePositions);
        durable.forEach(request -> request.done().complete(null));
        if (!durable.isEmpty()) {
            events.synced(durable.size());
        }
        removeLargeBodies();
        IOException cause = reason == WriteFailure.NO_SPACE
                ? new SpoolFullException("the spool could not write: " + e.getMessage())
                : new IOException("the spool could not write: " + e.getMessage(), e);
        refused.forEach(request -> request.done().completeExceptionally(cause));
    }

    private static List<Request> concat(List<Request> first, List<Request> second) {
        List<Request> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private void removeLargeBodies() {
        for (QueueId id : bodiesToDelete) {
            try {
                // no directory sync needed: a file that comes back is an orphan, removed at start
                Files.deleteIfExists(layout.largeBody(id));
            } catch (IOException e) {
                LOG.warn("could not delete body file of {}: {}", id, e.toString());
            }
        }
        bodiesToDelete.clear();
    }

    /** One step of the compaction under way: its copies are synced, then applied. */
    private void compact() throws IOException {
        List<Relocation.Moved> moved;
        try {
            moved = compaction.step(log, index, COMPACTION_STEP_BYTES, true);
            log.sync();
            counted(List.of(), true);
        } catch (CorruptRecordException e) {
            log.discardUnsynced();
            rewriteUnsynced();
            LOG.warn("compaction of segment {} stopped, it stays on disk: {}", compaction.segment(), e.getMessage());
            synchronized (index) {
                index.compactionFailed(compaction.segment());
            }
            compaction = null;
            return;
        } catch (IOException e) {
            // the copies are undone; the old segment still holds the messages, compaction resumes later
            log.discardUnsynced();
            rewriteUnsynced();
            ioFailure = "the spool could not write: " + e.getMessage();
            ioFailureAt = System.nanoTime();
            LOG.error("spool write failed during compaction of segment {}: {}; compaction waits a minute",
                    compaction.segment(), e.getMessage());
            events.spoolWriteFailed(NoSpace.is(e) ? WriteFailure.NO_SPACE : WriteFailure.IO_ERROR);
            compaction = null;
            compactionPausedAt = System.nanoTime();
            return;
        }
        synchronized (index) {
            Relocation.apply(index, moved);
        }
        if (compaction.done()) {
            LOG.debug("compaction of segment {} wrote its last live message", compaction.segment());
            compaction = null;
        }
    }

    /** Deletes segments nothing needs; the directory is synced before dependents may follow. */
    private void deleteDeadSegments() throws IOException {
        while (true) {
            List<Long> dead;
            synchronized (index) {
                dead = index.deletable();
            }
            if (dead.isEmpty()) {
                return;
            }
            for (long number : dead) {
                synchronized (index) {
                    // under the lock: no body lookup can hand out the closing channel afterwards
                    log.release(number);
                    Files.deleteIfExists(layout.segment(number));
                    index.segmentRemoved(number);
                }
                LOG.debug("deleted segment {}", number);
            }
            SpoolLayout.syncDirectory(layout.segments);
        }
    }

    private void startCompaction() {
        if (compaction != null || compactBelow <= 0
                || System.nanoTime() - compactionPausedAt < COMPACTION_PAUSE_NANOS) {
            return;
        }
        synchronized (index) {
            OptionalLong candidate = index.compactionCandidate(compactBelow);
            if (candidate.isPresent()) {
                long segment = candidate.getAsLong();
                compaction = new Relocation(segment, index.idsIn(segment));
                LOG.debug("compacting segment {} ({} live messages)", segment, index.liveRefs(segment));
            }
        }
    }

    private void finish(List<Request> batch) throws IOException {
        if (!waiting.isEmpty()) {
            LOG.warn("the spool closes with {} state changes and removals it had no room to write; the recipients"
                    + " concerned are tried again after the restart (a message may be delivered twice)", waiting.size());
            SpoolFullException cause = new SpoolFullException("the spool closed before it had room to record this");
            waiting.forEach(request -> request.done().completeExceptionally(cause));
            waiting.clear();
        }
        log.close();
        for (Request request : batch) {
            if (request instanceof Stop stop) {
                stop.done().complete(null);
            }
        }
        barriers.forEach(barrier -> barrier.done().complete(null));
        rejectPending();
    }

    /** An unexpected error (a bug): the writer stops and the spool accepts nothing more. */
    private void fail(Throwable e, List<Request> batch) {
        fatal = "the spool writer stopped: " + e;
        accepting = false;
        LOG.error("spool writer failed; the queue accepts nothing more until restarted", e);
        IOException cause = e instanceof IOException io ? io : new IOException(e);
        for (Request request : batch) {
            request.done().completeExceptionally(cause);
        }
        waiting.forEach(request -> request.done().completeExceptionally(cause));
        waiting.clear();
        barriers.forEach(barrier -> barrier.done().completeExceptionally(cause));
        tasks.forEach(task -> task.done().completeExceptionally(cause));
        tasks.clear();
        log.abandon();
        rejectPending();
    }

    private void rejectPending() {
        for (Request request; (request = queue.poll()) != null; ) {
            reject(request);
        }
    }

    private void reject(Request request) {
        if (request instanceof Stop || request instanceof Barrier) {
            request.done().complete(null);
        } else {
            String why = fatal;
            request.done().completeExceptionally(why == null
                    ? new IllegalStateException("the spool is closed")
                    : new IOException(why));
        }
    }
}
