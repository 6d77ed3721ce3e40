package dev.relay.queue;

import java.time.Instant;

/** Turns what a delivery attempt said into a recipient status, by the retry schedule. */
final class Outcomes {

    private final RetrySchedule schedule;

    Outcomes(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    /**
     * @param attempts attempts made on the message, this one included
     */
    RecipientStatus statusAfter(DeliveryResult result, Instant arrival, int attempts, Instant now) {
        return switch (result) {
            case DeliveryResult.Delivered delivered ->
                    new RecipientStatus.Delivered(now, delivered.reply(), delivered.remoteMta());
            case DeliveryResult.PermanentFailure failure ->
                    new RecipientStatus.Failed(failure.reply(), now, failure.remoteMta());
            case DeliveryResult.TemporaryFailure failure -> schedule.nextAttempt(arrival, attempts, now)
                    .<RecipientStatus>map(next -> new RecipientStatus.Deferred(failure.reply(), next, failure.remoteMta()))
                    // the last reply stays whose it was: an expiry quotes it
                    .orElseGet(() -> new RecipientStatus.Failed("delivery time expired: still failing after "
                            + attempts + " attempts, queue lifetime " + schedule.maxLifetime()
                            + " is over; last reply: " + failure.reply(), now, failure.remoteMta()));
        };
    }
}
