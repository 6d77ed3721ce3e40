package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where queued messages live: envelope, per-recipient state and body. The queue logic on top
 * keeps its own schedule; a store only persists and hands back. Every future completes once
 * the change is on stable storage. Implementations: {@link SegmentSpoolStore} (disk) and
 * {@link MemorySpoolStore} (tests); both pass the same contract suite.
 */
public interface SpoolStore extends AutoCloseable {

    /**
     * The messages found when the store opened, with their latest state. A store may take new
     * messages while it still reads the old ones: the future completes once it has, and fails if
     * it could not (the store then refuses new messages, see {@link #failure()}).
     */
    CompletableFuture<List<StoredMessage>> recovered();

    /** How far the reading of the old messages has got, while it runs. */
    default Optional<dev.relay.queue.RecoveryProgress> recovering() {
        return Optional.empty();
    }

    /**
     * Whether {@code id} may be taken by a message the store found at start and has not handed
     * over yet: the queue gives new messages no such id.
     */
    default boolean holds(QueueId id) {
        return false;
    }

    /** Starts a message whose body streams in; nothing is visible until it is committed. */
    StoreDraft newDraft(QueueId id) throws IOException;

    /** Replaces the state of a stored message. */
    CompletableFuture<Void> update(QueueId id, MessageState state);

    /** Forgets a stored message and, once that is durable, frees its body. */
    CompletableFuture<Void> remove(QueueId id, RemovalReason reason);

    /** The body exactly as committed. */
    InputStream openBody(QueueId id) throws IOException;

    /**
     * The envelope as committed, read from where the message is stored: the queue keeps no
     * envelope in memory (issue 14), only a few recent ones. A message the store does not hold
     * fails with {@link java.nio.file.NoSuchFileException}.
     */
    Envelope envelope(QueueId id) throws IOException;

    /** Free bytes for new messages, for admission control. */
    long usableSpace() throws IOException;

    /**
     * Why the store takes no new messages now, if it does not: no room left for them, a write
     * that failed a moment ago, or a writer that stopped. Room coming back clears it.
     */
    Optional<String> failure();

    /**
     * Whether the calling thread is the one that completes this store's futures. Code running
     * there (a callback on a returned future) must not wait for another of them: that wait
     * could never end.
     */
    default boolean isStoreThread() {
        return false;
    }

    /** Writes what is pending, syncs and releases files; later calls fail. */
    @Override
    void close() throws IOException;
}
