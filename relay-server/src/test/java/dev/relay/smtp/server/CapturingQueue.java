package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Outcome;
import dev.relay.queue.Admission;
import dev.relay.queue.Envelope;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSnapshot;
import dev.relay.queue.QueuedMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link MessageQueue} for listener tests: drafts buffer their bytes, commit records
 * (id, envelope, body). Tests can refuse admission, fail commits, or hold commits until they
 * release them. Only the part of the interface the listener uses is implemented. To run every
 * listener test against the real spool, SmtpFixture is the place to swap it for a decorator.
 */
final class CapturingQueue implements MessageQueue {

    /** A committed message. */
    record Accepted(QueueId id, Envelope envelope, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** What the client sent: the text after the Received field the listener put on top. */
        String content() {
            String text = text();
            return text.substring(text.indexOf("+0000\r\n") + 7);
        }
    }

    /** FULL: the spool had no room, nothing of the message was written ({@code SpoolFullException}). */
    enum CommitMode { SUCCEED, FAIL, FULL, HOLD }

    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger openDrafts = new AtomicInteger();
    private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final HeldTasks heldCommits = new HeldTasks();
    private volatile Admission admission = Admission.OPEN;
    private volatile CommitMode commitMode = CommitMode.SUCCEED;
    private volatile boolean failNewDrafts;

    void refuseAdmission(String reason) {
        admission = new Admission.Refused(reason);
    }

    void openAdmission() {
        admission = Admission.OPEN;
    }

    void commitMode(CommitMode mode) {
        commitMode = mode;
    }

    void failNewDrafts(boolean fail) {
        failNewDrafts = fail;
    }

    /** Completes the held commits successfully, in order; returns how many there were. */
    int releaseHeldCommits() {
        return heldCommits.runAll();
    }

    int heldCommits() {
        return heldCommits.size();
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    Accepted only() {
        if (accepted.size() != 1) {
            throw new AssertionError("expected one queued message, found " + accepted.size());
        }
        return accepted.get(0);
    }

    /** Drafts neither committed nor closed: must be 0 once sessions are over. */
    int openDrafts() {
        return openDrafts.get();
    }

    /** Nothing was queued and no draft is left open: a refused or aborted message leaves no trace. */
    void assertNothingQueued() {
        assertThat(accepted()).as("accepted messages").isEmpty();
        assertThat(openDrafts()).as("open drafts").isZero();
    }

    @Override
    public Admission admission() {
        return admission;
    }

    @Override
    public MessageDraft newDraft() throws IOException {
        if (failNewDrafts) {
            throw new IOException("disk on fire");
        }
        openDrafts.incrementAndGet();
        return new Draft(new QueueId(String.format("T%07d", sequence.incrementAndGet())));
    }

    private final class Draft implements MessageDraft {
        private final QueueId id;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean closed;
        private boolean committed;

        Draft(QueueId id) {
            this.id = id;
        }

        @Override
        public QueueId id() {
            return id;
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            if (closed || committed) {
                throw new IOException("draft " + id + " is closed");
            }
            body.write(bytes, offset, length);
        }

        @Override
        public synchronized long size() {
            return body.size();
        }

        @Override
        public synchronized CompletableFuture<QueueId> commit(Envelope envelope) {
            if (closed || committed) {
                return CompletableFuture.failedFuture(new IOException("draft " + id + " is closed"));
            }
            committed = true;
            openDrafts.decrementAndGet();
            CompletableFuture<QueueId> result = new CompletableFuture<>();
            Runnable durable = () -> {
                accepted.add(new Accepted(id, envelope, body.toByteArray()));
                result.complete(id);
            };
            switch (commitMode) {
                case SUCCEED -> durable.run();
                case FAIL -> result.completeExceptionally(new IOException("fsync failed"));
                case FULL -> result.completeExceptionally(
                        new dev.relay.queue.SpoolFullException("the spool's disk has no room for a new segment"));
                case HOLD -> heldCommits.hold(durable);
            }
            return result;
        }

        @Override
        public synchronized void close() {
            if (!closed && !committed) {
                closed = true;
                openDrafts.decrementAndGet();
            }
        }
    }

    // ---- not used by the listener ----

    @Override
    public Optional<QueuedMessage> find(QueueId id) {
        throw unused();
    }

    @Override
    public InputStream openBody(QueueId id) {
        throw unused();
    }

    @Override
    public List<QueuedMessage> takeDue(Instant now, int limit) {
        throw unused();
    }

    @Override
    public Optional<Instant> nextDue() {
        throw unused();
    }

    @Override
    public CompletableFuture<QueuedMessage> recordResults(QueueId id, Map<Integer, ? extends Outcome> results) {
        throw unused();
    }

    @Override
    public void giveBack(QueueId id) {
        throw unused();
    }

    @Override
    public boolean hold(QueueId id) {
        throw unused();
    }

    @Override
    public boolean release(QueueId id) {
        throw unused();
    }

    @Override
    public boolean retryNow(QueueId id) {
        throw unused();
    }

    @Override
    public boolean delete(QueueId id) {
        throw unused();
    }

    @Override
    public CompletableFuture<Boolean> markDelayWarned(QueueId id) {
        throw unused();
    }

    @Override
    public List<QueuedMessage> list() {
        return new ArrayList<>();
    }

    @Override
    public QueueSnapshot snapshot() {
        throw unused();
    }

    @Override
    public void close() {}

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not used by the SMTP listener");
    }
}
