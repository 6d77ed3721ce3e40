package dev.relay.queue;

import dev.relay.outcome.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable queue: what the SMTP listener writes to, what delivery reads from, and what
 * the admin commands act on. Thread-safe.
 */
public interface MessageQueue extends AutoCloseable {

    /** Whether new mail may be accepted now; checked at MAIL and again at DATA. */
    Admission admission();

    /** Starts a new message; see {@link MessageDraft}. */
    MessageDraft newDraft() throws IOException;

    /** The current state of a queued message, if it is still queued. */
    Optional<QueuedMessage> find(QueueId id);

    /** The body as committed. */
    InputStream openBody(QueueId id) throws IOException;

    /**
     * Hands out up to {@code limit} messages with recipients due at {@code now} (not held, not
     * already handed out), oldest due first. A message handed out is not handed out again until
     * {@link #recordResults} or {@link #giveBack(QueueId)} returns it.
     */
    List<QueuedMessage> takeDue(Instant now, int limit);

    /** When the earliest not-handed-out recipient falls due; empty when nothing waits. */
    Optional<Instant> nextDue();

    /**
     * Records one attempt's outcome for some recipients of a handed-out message (index into the
     * envelope's recipients) and returns the message to the queue. The future completes once the
     * new states are durable. Temporary failures become Deferred on the retry schedule, or
     * Failed when the message's lifetime is over.
     */
    CompletableFuture<QueuedMessage> recordResults(QueueId id, java.util.Map<Integer, ? extends Outcome> results);

    /** Returns a handed-out message untouched (e.g. at shutdown); its recipients stay due. */
    void giveBack(QueueId id);

    /**
     * Marks the message as warned about its delay, durably, so that the delay DSN goes out once
     * in its life, across restarts too. The future completes with true once the mark is durable
     * when this call set it; with false at once when the message was already marked or is no
     * longer queued. Exactly one caller ever gets true: the one that sends the warning.
     * Marking first and warning after means a crash in between loses the warning rather than
     * sending it twice.
     */
    CompletableFuture<Boolean> markDelayWarned(QueueId id);

    /** Puts a message on hold: no delivery until released. False if there is no such message. */
    boolean hold(QueueId id);

    /** Releases a held message and makes its open recipients due now. */
    boolean release(QueueId id);

    /** Makes every open recipient of the message due now. */
    boolean retryNow(QueueId id);

    /** Removes a message without any DSN. */
    boolean delete(QueueId id);

    /** All queued messages, oldest first, for admin listings. */
    List<QueuedMessage> list();

    /**
     * The {@code limit} oldest queued messages, oldest first: what a status page shows without
     * copying a large queue every few seconds.
     */
    default List<QueuedMessage> oldest(int limit) {
        return page(Optional.empty(), limit);
    }

    /**
     * One page of the listing: up to {@code limit} messages, oldest first, that come after
     * {@code after} (from the start when empty). The next page starts after the cursor of this
     * page's last message ({@link QueueCursor#of}). A large queue is listed page by page without
     * copying it whole.
     */
    default List<QueuedMessage> page(Optional<QueueCursor> after, int limit) {
        List<QueuedMessage> rest = list().stream().filter(m -> after.map(c -> c.precedes(m)).orElse(true)).toList();
        return List.copyOf(rest.subList(0, Math.min(Math.max(0, limit), rest.size())));
    }

    QueueSnapshot snapshot();

    /**
     * While the messages found at start are still being read (the queue takes new mail
     * meanwhile, and lists, counts and delivers only what it holds so far): how far it has got.
     * Empty once they are all in the queue.
     */
    default Optional<RecoveryProgress> recovering() {
        return Optional.empty();
    }

    /** Syncs and closes the spool; later calls fail. */
    @Override
    void close() throws IOException;
}
