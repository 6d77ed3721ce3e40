package dev.relay.queue.spool;

import dev.relay.queue.QueueId;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import dev.relay.queue.MutableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueueIdGeneratorTest {

    private final Clock stoppedClock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void idsFromOneGeneratorAreUniqueAndAscendingEvenWhenTheClockStandsStill() {
        QueueIdGenerator generator = new QueueIdGenerator(stoppedClock, new Random(1));
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add(generator.next());
        }

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted();
        assertThat(ids).allSatisfy(id -> assertThat(id.value()).hasSize(20).matches("[0-9A-Z]+"));
    }

    @Test
    void twoGeneratorsOnTheSameMillisecondDoNotCollide() {
        QueueId first = new QueueIdGenerator(stoppedClock, new Random(1)).next();
        QueueId second = new QueueIdGenerator(stoppedClock, new Random(2)).next();

        assertThat(first).isNotEqualTo(second);
        assertThat(first.value()).startsWith(second.value().substring(0, 9));
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        QueueIdGenerator early = new QueueIdGenerator(clock, new Random(5));
        QueueId first = early.next();
        clock.advance(java.time.Duration.ofMillis(1));

        assertThat(new QueueIdGenerator(clock, new Random(1)).next()).isGreaterThan(first);
    }
}
