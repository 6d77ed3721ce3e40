package dev.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.DeliveryEvents;
import dev.relay.queue.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentDeliveriesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:30Z"));
    private final RecentDeliveries recent = new RecentDeliveries(clock);

    @Test
    void countsEachOutcomeWithinTheHour() {
        recent.record(RecentDeliveries.Outcome.DELIVERED);
        recent.record(RecentDeliveries.Outcome.DELIVERED);
        clock.advance(Duration.ofMinutes(10));
        recent.record(RecentDeliveries.Outcome.BOUNCED);
        recent.record(RecentDeliveries.Outcome.EXPIRED);
        recent.record(RecentDeliveries.Outcome.DEFERRED);
        recent.record(RecentDeliveries.Outcome.DEFERRED);
        recent.record(RecentDeliveries.Outcome.DEFERRED);

        assertThat(recent.lastHour()).isEqualTo(new RecentDeliveries.Counts(2, 1, 1, 3));
    }

    @Test
    void minutesOlderThanAnHourDropOut() {
        recent.record(RecentDeliveries.Outcome.DELIVERED); // minute 10:00
        clock.advance(Duration.ofMinutes(30));
        recent.record(RecentDeliveries.Outcome.BOUNCED); // minute 10:30

        clock.set(Instant.parse("2026-03-01T10:59:59Z"));
        assertThat(recent.lastHour()).as("10:00 is still one of the last 60 minutes").isEqualTo(new RecentDeliveries.Counts(1, 1, 0, 0));
        clock.set(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(recent.lastHour()).isEqualTo(new RecentDeliveries.Counts(0, 1, 0, 0));
        clock.set(Instant.parse("2026-03-01T11:30:00Z"));
        assertThat(recent.lastHour()).isEqualTo(new RecentDeliveries.Counts(0, 0, 0, 0));
    }

    @Test
    void aSlotReusedAnHourLaterStartsFromZero() {
        recent.record(RecentDeliveries.Outcome.DELIVERED);
        clock.advance(Duration.ofHours(1)); // the same slot of the ring, one lap later
        recent.record(RecentDeliveries.Outcome.DEFERRED);
        assertThat(recent.lastHour()).isEqualTo(new RecentDeliveries.Counts(0, 0, 0, 1));
    }

    @Test
    void anIdleRelayAfterDaysShowsNothingOld() {
        for (int minute = 0; minute < 60; minute++) {
            recent.record(RecentDeliveries.Outcome.DELIVERED);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(recent.lastHour().delivered()).isEqualTo(59);
        clock.advance(Duration.ofDays(3));
        assertThat(recent.lastHour()).isEqualTo(new RecentDeliveries.Counts(0, 0, 0, 0));
    }

    @Test
    void deliveryEventsFeedTheRingAndReachTheMetricsUnchanged() {
        java.util.List<String> downstream = new java.util.ArrayList<>();
        DeliveryEvents metrics = new DeliveryEvents() {
            @Override
            public void attempted(Result result, Tls tls, String mtaStsMode) {
                downstream.add("attempted " + result.label() + " " + tls.label() + " " + mtaStsMode);
            }

            @Override
            public void finished(Outcome outcome, Duration sinceAccepted) {
                downstream.add("finished " + outcome.label() + " " + sinceAccepted.toSeconds());
            }

            @Override
            public void tlsSession(String protocol, boolean verified) {
                downstream.add("tls " + protocol + " " + verified);
            }
        };
        DeliveryEvents events = DeliveryEvents.both(metrics, recent.events()); // as the relay joins them

        events.attempted(DeliveryEvents.Result.DEFERRED, DeliveryEvents.Tls.TLS, "none");
        events.attempted(DeliveryEvents.Result.DEFERRED, DeliveryEvents.Tls.NONE, "none");
        events.attempted(DeliveryEvents.Result.DELIVERED, DeliveryEvents.Tls.VERIFIED, "enforce");
        events.finished(DeliveryEvents.Outcome.DELIVERED, Duration.ofSeconds(3));
        events.attempted(DeliveryEvents.Result.FAILED, DeliveryEvents.Tls.VERIFIED, "none");
        events.finished(DeliveryEvents.Outcome.BOUNCED, Duration.ofSeconds(4));
        events.finished(DeliveryEvents.Outcome.EXPIRED, Duration.ofDays(5));
        events.tlsSession("TLSv1.3", true);

        assertThat(recent.lastHour()).as("a delivered attempt is counted once, by its outcome")
                .isEqualTo(new RecentDeliveries.Counts(1, 1, 1, 2));
        assertThat(downstream).containsExactly("attempted deferred tls none", "attempted deferred none none",
                "attempted delivered verified enforce", "finished delivered 3", "attempted failed verified none",
                "finished bounced 4", "finished expired 432000", "tls TLSv1.3 true");
    }
}
