package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** A body being received by a store; becomes a stored message on {@link #commit}. */
public interface StoreDraft {

    void write(byte[] bytes, int offset, int length) throws IOException;

    /** Body bytes written so far. */
    long size();

    /**
     * Stores envelope, state and body; completes once all of it is on stable storage. May be
     * called once. On failure nothing of the message survives a restart.
     */
    CompletableFuture<Void> commit(Envelope envelope, MessageState state);

    /** Drops an uncommitted body and whatever it took on disk; a no-op after commit. */
    void discard();
}
