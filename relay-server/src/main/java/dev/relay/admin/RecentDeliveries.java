package dev.relay.admin;

import dev.relay.delivery.DeliveryEvents;
import dev.relay.mtasts.PolicyFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Deliveries in the last hour by outcome, for the status page: sixty per-minute buckets in a
 * ring, so memory stays fixed however busy the relay is and nothing needs a cleanup thread. The
 * window is the current minute and the 59 before it. Time comes from the injected clock.
 */
public final class RecentDeliveries {

    /** What the page counts; a deferral counts every attempt, the others once per recipient. */
    public enum Outcome { DELIVERED, BOUNCED, EXPIRED, DEFERRED }

    public static final Duration WINDOW = Duration.ofHours(1);
    private static final int MINUTES = (int) WINDOW.toMinutes();

    /** Counts over the window. */
    public record Counts(long delivered, long bounced, long expired, long deferred) {}

    private final Clock clock;
    private final long[] minuteOf = new long[MINUTES];
    private final long[][] counts = new long[MINUTES][Outcome.values().length];

    public RecentDeliveries(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
    }

    public synchronized void record(Outcome outcome) {
        long minute = currentMinute();
        int slot = slot(minute);
        if (minuteOf[slot] != minute) {
            // the slot last held a minute that has left the window
            minuteOf[slot] = minute;
            java.util.Arrays.fill(counts[slot], 0);
        }
        counts[slot][outcome.ordinal()]++;
    }

    public synchronized Counts lastHour() {
        long now = currentMinute();
        long[] sum = new long[Outcome.values().length];
        for (int slot = 0; slot < MINUTES; slot++) {
            if (minuteOf[slot] > now - MINUTES && minuteOf[slot] <= now) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += counts[slot][k];
                }
            }
        }
        return new Counts(sum[Outcome.DELIVERED.ordinal()], sum[Outcome.BOUNCED.ordinal()],
                sum[Outcome.EXPIRED.ordinal()], sum[Outcome.DEFERRED.ordinal()]);
    }

    /**
     * Delivery events that feed this ring and pass everything on to {@code downstream} (the
     * metrics): final outcomes from {@link DeliveryEvents#finished}, deferrals per attempt from
     * {@link DeliveryEvents#attempted}, so the page agrees with
     * {@code relay_delivery_attempts_total{result="deferred"}} and {@code relay_deliveries_total}.
     */
    public DeliveryEvents alongside(DeliveryEvents downstream) {
        Objects.requireNonNull(downstream, "downstream");
        return new DeliveryEvents() {
            @Override
            public void attempted(Result result, Tls tls, String mtaStsMode) {
                downstream.attempted(result, tls, mtaStsMode);
                if (result == Result.DEFERRED) {
                    record(RecentDeliveries.Outcome.DEFERRED);
                }
            }

            @Override
            public void finished(DeliveryEvents.Outcome outcome, Duration sinceAccepted) {
                downstream.finished(outcome, sinceAccepted);
                record(switch (outcome) {
                    case DELIVERED -> RecentDeliveries.Outcome.DELIVERED;
                    case BOUNCED -> RecentDeliveries.Outcome.BOUNCED;
                    case EXPIRED -> RecentDeliveries.Outcome.EXPIRED;
                });
            }

            @Override
            public void tlsSession(String protocol, boolean verified) {
                downstream.tlsSession(protocol, verified);
            }

            @Override
            public void policyFailed(PolicyFailure failure) {
                downstream.policyFailed(failure);
            }
        };
    }

    private long currentMinute() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }

    private static int slot(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES);
    }
}
