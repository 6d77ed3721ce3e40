package dev.relay.queue;

import java.time.Instant;
import java.util.Optional;

/**
 * Counts for metrics and the admin view, taken at one moment.
 *
 * @param active messages with recipients due now or in flight
 * @param deferred messages whose every open recipient waits for a later attempt
 * @param held messages on hold
 * @param oldestArrival arrival time of the oldest queued message
 * @param bytes body bytes held by queued messages
 */
public record QueueSnapshot(long active, long deferred, long held, Optional<Instant> oldestArrival, long bytes) {
    public long total() {
        return active + deferred + held;
    }
}
