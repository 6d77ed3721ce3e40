package dev.relay.queue.spool;

import java.io.IOException;

/**
 * Called by a spool's background replay before each old segment it reads. Production passes
 * {@link #NONE}; tests hold the replay here to see what the relay does while it runs (greets,
 * accepts, says it is recovering) without depending on how fast the machine is.
 */
@FunctionalInterface
public interface RecoveryPace {

    RecoveryPace NONE = segment -> { };

    /**
     * Returns when the replay may read {@code segment}; an exception stops the recovery (the
     * spool then refuses new mail, as after a failed write).
     */
    void beforeSegment(long segment) throws IOException;
}
