package dev.relay.admin;

import dev.relay.delivery.DeliveryEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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
    /** Per outcome, the count in each minute's slot. */
    private final Map<Outcome, long[]> counts = new EnumMap<>(Outcome.class);

    public RecentDeliveries(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new long[MINUTES]);
        }
    }

    public synchronized void record(Outcome outcome) {
        long minute = currentMinute();
        int slot = slot(minute);
        if (minuteOf[slot] != minute) {
            // the slot last held a minute that has left the window
            minuteOf[slot] = minute;
            counts.values().forEach(bySlot -> bySlot[slot] = 0);
        }
        counts.get(outcome)[slot]++;
    }

    public synchronized Counts lastHour() {
        long now = currentMinute();
        Map<Outcome, Long> sum = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            long total = 0;
            for (int slot = 0; slot < MINUTES; slot++) {
                if (minuteOf[slot] > now - MINUTES && minuteOf[slot] <= now) {
                    total += counts.get(outcome)[slot];
                }
            }
            sum.put(outcome, total);
        }
        return new Counts(sum.get(Outcome.DELIVERED), sum.get(Outcome.BOUNCED),
                sum.get(Outcome.EXPIRED), sum.get(Outcome.DEFERRED));
    }

    /**
     * Delivery events that feed this ring: final outcomes from {@link DeliveryEvents#finished},
     * deferrals per attempt from {@link DeliveryEvents#attempted}, so the page agrees with
     * {@code relay_delivery_attempts_total{result="deferred"}} and {@code relay_deliveries_total}.
     * It tells no one else: the relay joins it to the metrics with {@link DeliveryEvents#both},
     * which passes on every event (a forwarder here once dropped the ones it did not name).
     */
    public DeliveryEvents events() {
        return new DeliveryEvents() {
            @Override
            public void attempted(Result result, Tls tls, String mtaStsMode) {
                if (result == Result.DEFERRED) {
                    record(RecentDeliveries.Outcome.DEFERRED);
                }
            }

            @Override
            public void finished(DeliveryEvents.Outcome outcome, Duration sinceAccepted) {
                record(switch (outcome) {
                    case DELIVERED -> RecentDeliveries.Outcome.DELIVERED;
                    case BOUNCED -> RecentDeliveries.Outcome.BOUNCED;
                    case EXPIRED -> RecentDeliveries.Outcome.EXPIRED;
                });
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
