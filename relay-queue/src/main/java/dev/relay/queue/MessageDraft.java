package dev.relay.queue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A message being received. The body streams in through {@link #write}; nothing is visible
 * in the queue, and nothing survives a crash, until {@link #commit} completes. Closing a
 * draft that was not committed discards it.
 */
public interface MessageDraft extends AutoCloseable {

    /** The id this message will have once committed (known early for the Received header). */
    QueueId id();

    /** Appends body bytes, exactly as they will be delivered (CRLF line ends, not dot-stuffed). */
    void write(byte[] bytes, int offset, int length) throws IOException;

    default void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Body bytes written so far. */
    long size();

    /**
     * Makes the message durable. The future completes only after body and envelope are on
     * stable storage (file and directory synced); it completes exceptionally if they are not,
     * and then the message does not exist. Concurrent commits may share one sync.
     */
    CompletableFuture<QueueId> commit(Envelope envelope);

    /** Discards an uncommitted draft; a no-op after commit. */
    @Override
    void close();
}
