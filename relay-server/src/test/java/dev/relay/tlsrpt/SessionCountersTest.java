package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Cause;
import dev.relay.queue.MutableClock;
import dev.relay.tlsrpt.DomainCounts.FailureCount;
import dev.relay.tlsrpt.DomainCounts.PolicyCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Counting sessions per UTC day, per policy domain and per policy, grouped as RFC 8460 section 4.4 asks. */
class SessionCountersTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final SessionCounters counters = new SessionCounters(clock, CounterLimits.DEFAULT);

    /** One failed session of example.com at mx1.example.com with this cause per receiving IP, in order. */
    private static void recordFailures(SessionCounters into, Cause cause, String... receivingIps) {
        for (String ip : receivingIps) {
            into.record(Sessions.fail("example.com", cause, "mx1.example.com", ip));
        }
    }

    @Test
    void equalFailuresShareARowAndDifferentOnesDoNot() {
        counters.record(Sessions.ok("example.com"));
        counters.record(Sessions.ok("example.com"));
        recordFailures(counters, Cause.CERTIFICATE_EXPIRED, "203.0.113.5", "203.0.113.5", "203.0.113.6");
        recordFailures(counters, Cause.CERTIFICATE_NOT_TRUSTED, "203.0.113.5");

        DomainCounts counts = counters.domain(DAY, "example.com").orElseThrow();
        assertThat(counts.successes()).isEqualTo(2);
        assertThat(counts.failures()).isEqualTo(4);
        assertThat(counts.policies()).singleElement().satisfies(policy -> {
            assertThat(policy.policy()).isEqualTo(Sessions.STS);
            assertThat(policy.failureRows()).extracting(row -> row.failure().resultType(), row -> row.failure().receivingIp(),
                    FailureCount::count).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("certificate-expired", Optional.of("203.0.113.5"), 2L),
                            org.assertj.core.groups.Tuple.tuple("certificate-expired", Optional.of("203.0.113.6"), 1L),
                            org.assertj.core.groups.Tuple.tuple("certificate-not-trusted", Optional.of("203.0.113.5"), 1L));
        });
    }

    @Test
    void eachPolicyOfTheDayIsItsOwnEntry() {
        counters.record(Sessions.ok("example.com"));
        counters.record(TlsSession.success("example.com", Sessions.STS_TESTING));
        counters.record(TlsSession.success("example.com", SessionPolicy.none()));
        counters.record(TlsSession.success("example.com", SessionPolicy.none()));

        assertThat(counters.domain(DAY, "example.com").orElseThrow().policies())
                .extracting(PolicyCounts::policy, PolicyCounts::successes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Sessions.STS, 1L),
                        org.assertj.core.groups.Tuple.tuple(Sessions.STS_TESTING, 1L),
                        org.assertj.core.groups.Tuple.tuple(SessionPolicy.none(), 2L));
    }

    @Test
    void daneHostsAreEntriesOfTheirOwnBesideTheDomainsStsPolicy() {
        // RFC 8460 4.4: one entry per policy; DANE governs host by host, so each host's TLSA RRset is one
        counters.record(Sessions.ok("example.com"));
        counters.record(TlsSession.success("example.com", Sessions.TLSA_MX1));
        counters.record(TlsSession.failure("example.com", Sessions.TLSA_MX2, TlsSession.Failure.of(Cause.TLSA_INVALID)
                .withReceivingMx("mx2.example.com", Optional.of("203.0.113.7"))));
        counters.record(TlsSession.success("example.com", Sessions.TLSA_MX1));

        assertThat(counters.domain(DAY, "example.com").orElseThrow().policies())
                .extracting(PolicyCounts::policy, PolicyCounts::successes, PolicyCounts::failures)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Sessions.STS, 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple(Sessions.TLSA_MX1, 2L, 0L),
                        org.assertj.core.groups.Tuple.tuple(Sessions.TLSA_MX2, 0L, 1L));
        assertThat(Sessions.TLSA_MX2.type()).isEqualTo(PolicyType.TLSA);
        assertThat(Sessions.TLSA_MX2.mxHosts()).as("the host, normalised").containsExactly("mx2.example.com");
    }

    @Test
    void domainNamesAreCountedCaseInsensitivelyWithoutTheTrailingDot() {
        counters.record(Sessions.ok("Example.COM."));
        counters.record(Sessions.ok("example.com"));
        assertThat(counters.day(DAY).orElseThrow().domains()).singleElement()
                .satisfies(d -> assertThat(d.domain()).isEqualTo("example.com"))
                .satisfies(d -> assertThat(d.successes()).isEqualTo(2));
        assertThat(counters.domain(DAY, "EXAMPLE.com")).isPresent();
    }

    @Test
    void theDayIsTheUtcDateAndRollsOverAtUtcMidnight() {
        clock.set(Instant.parse("2026-12-06T23:59:59.999Z"));
        counters.record(Sessions.ok("example.com"));
        assertThat(counters.completedDays()).isEmpty();

        clock.advance(Duration.ofMillis(1)); // 2026-12-07T00:00:00Z
        counters.record(Sessions.ok("example.com"));
        counters.record(Sessions.ok("example.com"));

        assertThat(counters.days()).containsExactly(DAY, DAY.plusDays(1));
        assertThat(counters.completedDays()).singleElement().satisfies(day -> {
            assertThat(day.day()).isEqualTo(DAY);
            assertThat(day.domains()).singleElement().satisfies(d -> assertThat(d.successes()).isEqualTo(1));
        });
        assertThat(counters.domain(DAY.plusDays(1), "example.com").orElseThrow().successes()).isEqualTo(2);
    }

    @Test
    void aSentReportIsForgottenAndAnEmptyDayGoes() {
        counters.record(Sessions.ok("a.example"));
        counters.record(Sessions.ok("b.example"));
        clock.advance(Duration.ofDays(1));

        counters.remove(DAY, "a.example");
        assertThat(counters.completedDays()).singleElement()
                .satisfies(day -> assertThat(day.domains()).extracting(DomainCounts::domain).containsExactly("b.example"));
        counters.remove(DAY, "b.example");
        assertThat(counters.days()).isEmpty();
    }

    @Test
    void domainsBeyondTheCapAreDroppedAndCounted() {
        SessionCounters small = new SessionCounters(clock, new CounterLimits(2, 8, 100, 7));
        small.record(Sessions.ok("a.example"));
        small.record(Sessions.ok("b.example"));
        small.record(Sessions.ok("c.example"));
        small.record(Sessions.ok("d.example"));
        small.record(Sessions.ok("a.example"));

        DayCounts day = small.day(DAY).orElseThrow();
        assertThat(day.domains()).extracting(DomainCounts::domain).containsExactly("a.example", "b.example");
        assertThat(day.droppedSessions()).isEqualTo(2);
        assertThat(small.domain(DAY, "a.example").orElseThrow().successes()).isEqualTo(2);
    }

    @Test
    void policiesBeyondTheCapAreDroppedAndCounted() {
        SessionCounters small = new SessionCounters(clock, new CounterLimits(10, 1, 100, 7));
        small.record(Sessions.ok("example.com"));
        small.record(TlsSession.success("example.com", SessionPolicy.none()));
        assertThat(small.domain(DAY, "example.com").orElseThrow().policies()).hasSize(1);
        assertThat(small.day(DAY).orElseThrow().droppedSessions()).isEqualTo(1);
    }

    @Test
    void failureRowsBeyondTheCapStillCountInTheSummary() {
        SessionCounters small = new SessionCounters(clock, new CounterLimits(10, 8, 2, 7));
        recordFailures(small, Cause.CERTIFICATE_EXPIRED, "203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.1");

        DomainCounts counts = small.domain(DAY, "example.com").orElseThrow();
        assertThat(counts.failures()).isEqualTo(4);
        assertThat(counts.policies().getFirst().failureRows()).extracting(FailureCount::count).containsExactly(2L, 1L);
        assertThat(counts.droppedFailureRows()).isEqualTo(1);
    }

    @Test
    void onlyTheLastDaysAreKept() {
        SessionCounters small = new SessionCounters(clock, new CounterLimits(10, 8, 100, 3));
        for (int i = 0; i < 5; i++) {
            small.record(Sessions.ok("example.com"));
            clock.advance(Duration.ofDays(1));
        }
        assertThat(small.days()).containsExactly(DAY.plusDays(2), DAY.plusDays(3), DAY.plusDays(4));
    }

    @Test
    void aRestoredSnapshotCountsOn() {
        counters.record(Sessions.ok("example.com"));
        counters.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));
        List<DayCounts> saved = counters.snapshot();

        SessionCounters again = new SessionCounters(clock, CounterLimits.DEFAULT);
        again.restore(saved);
        again.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));

        DomainCounts counts = again.domain(DAY, "example.com").orElseThrow();
        assertThat(counts.successes()).isEqualTo(1);
        assertThat(counts.policies().getFirst().failureRows()).singleElement()
                .satisfies(row -> assertThat(row.count()).isEqualTo(2));
    }

    @Test
    void changesMoveWithEveryRecordAndRemoval() {
        long before = counters.changes();
        counters.record(Sessions.ok("example.com"));
        long afterRecord = counters.changes();
        counters.remove(DAY, "nothing.example");
        assertThat(counters.changes()).isEqualTo(afterRecord).isGreaterThan(before);
        counters.remove(DAY, "example.com");
        assertThat(counters.changes()).isGreaterThan(afterRecord);
    }
}
