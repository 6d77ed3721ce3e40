package dev.relay.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a deferred recipient is tried again: the n-th retry waits {@code steps[n]}, and the
 * last step repeats. Past {@code maxLifetime} after arrival there is no next attempt.
 */
public record RetrySchedule(List<Duration> steps, Duration maxLifetime) {

    public static final RetrySchedule DEFAULT = new RetrySchedule(
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
                    Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4)),
            Duration.ofDays(5));

    public RetrySchedule {
        steps = List.copyOf(steps);
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one step");
        }
        for (Duration step : steps) {
            if (step.isNegative() || step.isZero()) {
                throw new IllegalArgumentException("retry steps must be positive: " + step);
            }
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("max lifetime must be positive: " + maxLifetime);
        }
    }

    /**
     * The next attempt after the {@code failedAttempts}-th failure (1 for the first), or empty
     * when that would fall after the message's lifetime ends.
     */
    public Optional<Instant> nextAttempt(Instant arrival, int failedAttempts, Instant now) {
        int index = Math.min(Math.max(failedAttempts, 1), steps.size()) - 1;
        Instant next = now.plus(steps.get(index));
        return next.isAfter(expiry(arrival)) ? Optional.empty() : Optional.of(next);
    }

    public Instant expiry(Instant arrival) {
        return arrival.plus(maxLifetime);
    }
}
