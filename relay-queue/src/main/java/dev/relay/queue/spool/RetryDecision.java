package dev.relay.queue.spool;

import dev.relay.outcome.Outcome;
import dev.relay.queue.RecipientStatus;
import dev.relay.queue.RetrySchedule;
import java.time.Instant;

/** Turns an attempt's outcome into a recipient status, by the retry schedule. */
final class RetryDecision {

    private final RetrySchedule schedule;

    RetryDecision(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    /**
     * @param attempts attempts made on the message, this one included
     */
    RecipientStatus statusAfter(Outcome outcome, Instant arrival, int attempts, Instant now) {
        return switch (outcome) {
            case Outcome.Delivered delivered -> new RecipientStatus.Delivered(now, delivered);
            case Outcome.Failed failed -> new RecipientStatus.Failed(now, failed);
            case Outcome.Deferred deferred -> schedule.nextAttempt(arrival, attempts, now)
                    .<RecipientStatus>map(next -> new RecipientStatus.Deferred(next, SharedOutcomes.share(deferred)))
                    // the last reply stays whose it was: an expiry quotes it
                    .orElseGet(() -> new RecipientStatus.Failed(now, deferred.expire()));
        };
    }
}
