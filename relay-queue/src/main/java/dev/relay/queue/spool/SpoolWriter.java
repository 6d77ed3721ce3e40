package dev.relay.queue.spool;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the spool (group commit).
 *
 * <p>Each turn it takes every request queued so far, appends their records, applies them to
 * the index, fsyncs once (fdatasync: segments are preallocated, so no metadata changes), and
 * only then completes their futures. So a commit never completes before its bytes are on
 * stable storage, and N concurrent commits cost one sync. Between turns it deletes segments
 * nothing needs any more and moves a little of a compaction forward.
 *
 * <p>The index is changed only here, under its monitor, after the bytes were handed to the
 * file: readers (openBody) may then find them, synced or not, but never read a record that is
 * still in the write buffer. Nobody else writes, so ordering is simply queue order.
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
    record Commit(QueueId id, byte[] head, byte[] body, int bodyLength, boolean bodyInFile, long bodySize,
            CompletableFuture<Void> done) implements Request {
        int payloadLength() {
            return head.length + bodyLength;
        }
    }

    record Update(QueueId id, byte[] payload, CompletableFuture<Void> done) implements Request {}

    record Remove(QueueId id, byte[] payload, CompletableFuture<Void> done) implements Request {}

    record Stop(CompletableFuture<Void> done) implements Request {}

    /** Completes once the writer has nothing left to do: no compaction running, no dead segment left. */
    record Barrier(CompletableFuture<Void> done) implements Request {}

    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final SegmentLog log;
    private final SpoolIndex index;
    private final SpoolLayout layout;
    private final QueueEvents events;
    private final long compactBelowBytes;
    private volatile boolean accepting = true;
    private volatile String failure;
    private Relocation compaction;
    /** Body files of messages removed in this turn, deleted once the removal is synced. */
    private final List<QueueId> bodiesToDelete = new ArrayList<>();
    private final List<Barrier> barriers = new ArrayList<>();

    SpoolWriter(SegmentLog log, SpoolIndex index, SpoolLayout layout, QueueEvents events, long compactBelowBytes) {
        this.log = log;
        this.index = index;
        this.layout = layout;
        this.events = events;
        this.compactBelowBytes = compactBelowBytes;
    }

    String failure() {
        return failure;
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
        if (failure != null) {
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
                Request first = compaction == null ? queue.take() : queue.poll();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                boolean stopping = write(batch);
                if (compaction != null && !stopping) {
                    compact();
                }
                log.sync();
                int requests = 0;
                for (Request request : batch) {
                    switch (request) {
                        case Stop stop -> { }
                        case Barrier barrier -> barriers.add(barrier);
                        default -> {
                            request.done().complete(null);
                            requests++;
                        }
                    }
                }
                if (requests > 0) {
                    events.synced(requests);
                }
                removeLargeBodies();
                if (stopping) {
                    finish(batch);
                    return;
                }
                deleteDeadSegments();
                startCompaction();
                if (compaction == null) {
                    barriers.forEach(barrier -> barrier.done().complete(null));
                    barriers.clear();
                }
            }
        } catch (Throwable e) {
            fail(e, batch);
        }
    }

    /** Appends the batch's records and applies them; true if a stop was among them. */
    private boolean write(List<Request> batch) throws IOException {
        RecordPos[] positions = new RecordPos[batch.size()];
        boolean stopping = false;
        for (int i = 0; i < batch.size(); i++) {
            positions[i] = switch (batch.get(i)) {
                case Commit commit -> log.append(RecordType.MESSAGE, commit.head(), commit.body(), commit.bodyLength());
                case Update update -> log.append(RecordType.STATE, update.payload());
                case Remove remove -> log.append(RecordType.REMOVE, remove.payload());
                case Stop stop -> {
                    stopping = true;
                    yield null;
                }
                case Barrier barrier -> null;
            };
        }
        log.flush();
        synchronized (index) {
            for (int i = 0; i < batch.size(); i++) {
                switch (batch.get(i)) {
                    case Commit commit -> index.message(commit.id(), positions[i], commit.bodyInFile(), commit.bodySize());
                    case Update update -> index.state(update.id(), positions[i]);
                    case Remove remove -> {
                        SpoolIndex.Slot slot = index.remove(remove.id(), positions[i]);
                        if (slot != null && slot.bodyInFile) {
                            bodiesToDelete.add(remove.id());
                        }
                    }
                    case Stop stop -> { }
                    case Barrier barrier -> { }
                }
            }
        }
        return stopping;
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

    private void compact() throws IOException {
        List<Relocation.Moved> moved;
        try {
            moved = compaction.step(log, index, COMPACTION_STEP_BYTES);
        } catch (CorruptRecordException e) {
            LOG.warn("compaction of segment {} stopped, it stays on disk: {}", compaction.segment(), e.getMessage());
            synchronized (index) {
                index.compactionFailed(compaction.segment());
            }
            compaction = null;
            return;
        }
        log.flush();
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
        if (compaction != null || compactBelowBytes <= 0) {
            return;
        }
        synchronized (index) {
            OptionalLong candidate = index.compactionCandidate(compactBelowBytes);
            if (candidate.isPresent()) {
                long segment = candidate.getAsLong();
                compaction = new Relocation(segment, index.idsIn(segment));
                LOG.debug("compacting segment {} ({} live messages)", segment, index.liveRefs(segment));
            }
        }
    }

    private void finish(List<Request> batch) throws IOException {
        log.close();
        for (Request request : batch) {
            if (request instanceof Stop stop) {
                stop.done().complete(null);
            }
        }
        barriers.forEach(barrier -> barrier.done().complete(null));
        rejectPending();
    }

    private void fail(Throwable e, List<Request> batch) {
        failure = e.toString();
        accepting = false;
        LOG.error("spool writer failed; the queue accepts nothing more until restarted", e);
        IOException cause = e instanceof IOException io ? io : new IOException(e);
        for (Request request : batch) {
            request.done().completeExceptionally(cause);
        }
        barriers.forEach(barrier -> barrier.done().completeExceptionally(cause));
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
            String why = failure;
            request.done().completeExceptionally(why == null
                    ? new IllegalStateException("the spool is closed")
                    : new IOException("the spool failed: " + why));
        }
    }
}
