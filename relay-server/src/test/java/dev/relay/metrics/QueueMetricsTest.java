package dev.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.delivery.testkit.TestMessages;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue's metrics against a real spool on disk: state gauges, oldest age, sync and corrupt-file counters. */
class QueueMetricsTest {
    private static final QueueSettings SETTINGS =
            new QueueSettings(new RetrySchedule(List.of(Duration.ofMinutes(10)), Duration.ofDays(1)), 0, 0);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final AtomicLong nanos = new AtomicLong();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private MessageQueue queue;

    @AfterEach
    void close() throws Exception {
        if (queue != null) {
            queue.close();
        }
    }

    private double messages(String state) {
        return registry.get("relay.queue.messages").tag("state", state).gauge().value();
    }

    private double oldest() {
        return registry.get("relay.queue.oldest").gauge().value();
    }

    @Test
    void spoolWriteFailuresByReasonTheWritableGaugeAndFreeBytesStartAtZeroOrOneAndFollowTheEvents() throws Exception {
        QueueMeters meters = new QueueMeters(registry);
        for (String reason : MetricNames.WRITE_FAILURE_REASONS) {
            assertThat(registry.get("relay.spool.write.failures").tag("reason", reason).counter().count()).isZero();
        }
        assertThat(registry.get("relay.spool.writable").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("relay.spool.free").gauge().value()).as("before a spool is watched").isZero();

        meters.spoolWriteFailed(dev.relay.queue.WriteFailure.NO_SPACE);
        meters.spoolWritable(false);
        assertThat(registry.get("relay.spool.write.failures").tag("reason", "no_space").counter().count()).isEqualTo(1);
        assertThat(registry.get("relay.spool.write.failures").tag("reason", "io_error").counter().count()).isZero();
        assertThat(registry.get("relay.spool.writable").gauge().value()).isZero();
        meters.spoolWritable(true);
        assertThat(registry.get("relay.spool.writable").gauge().value()).isEqualTo(1.0);

        Files.createDirectories(dir.resolve("spool"));
        meters.watchSpool(dir.resolve("spool"));
        double free = registry.get("relay.spool.free").gauge().value();
        long usable = Files.getFileStore(dir).getUsableSpace();
        assertThat(free).isPositive().isCloseTo(usable, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void gaugesCountMessagesByStateAndTheOldestAge() throws Exception {
        QueueGauges gauges = new QueueGauges(registry, clock, nanos::get);
        queue = SpoolQueue.open(dir.resolve("spool"), SETTINGS, clock, QueueEvents.NONE);
        assertThat(messages("active")).as("nothing watched yet").isZero();
        gauges.watch(queue);

        Instant first = clock.instant();
        QueueId due = submit();
        clock.advance(Duration.ofSeconds(30));
        QueueId held = submit();
        QueueId deferred = submit();
        assertThat(queue.hold(held)).isTrue();
        assertThat(queue.takeDue(clock.instant(), 10)).hasSize(2);
        queue.giveBack(due);
        queue.recordResults(deferred, Map.of(0, TestOutcomes.deferred("451 4.4.1 try later")))
                .get(10, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(90));

        assertThat(messages("active")).isEqualTo(1);
        assertThat(messages("held")).isEqualTo(1);
        assertThat(messages("deferred")).isEqualTo(1);
        assertThat(oldest()).isEqualTo(Duration.between(first, clock.instant()).toSeconds()).isEqualTo(120);

        // one snapshot serves a whole scrape: within MAX_AGE the gauges do not walk the queue again
        assertThat(queue.delete(due)).isTrue();
        assertThat(messages("active")).isEqualTo(1);
        nanos.addAndGet(QueueGauges.MAX_AGE.toNanos());
        assertThat(messages("active")).isZero();
        assertThat(oldest()).as("the oldest left arrived 30 s later").isEqualTo(90);
    }

    @Test
    void anEmptyQueueIsZeroAndAClosedOneKeepsTheLastValues() throws Exception {
        QueueGauges gauges = new QueueGauges(registry, clock, nanos::get);
        queue = SpoolQueue.open(dir.resolve("spool"), SETTINGS, clock, QueueEvents.NONE);
        gauges.watch(queue);
        assertThat(oldest()).isZero();
        submit();
        nanos.addAndGet(QueueGauges.MAX_AGE.toNanos());
        assertThat(messages("active")).isEqualTo(1);

        queue.close();
        nanos.addAndGet(QueueGauges.MAX_AGE.toNanos());
        assertThat(messages("active")).as("a scrape during shutdown").isEqualTo(1);
        queue = null;
    }

    @Test
    void relayMetricsWatchesTheQueueItIsGiven() throws Exception {
        RelayMetrics metrics = RelayMetrics.on(registry, List.of(), clock);
        queue = SpoolQueue.open(dir.resolve("spool"), SETTINGS, clock, metrics.queueEvents(QueueEvents.NONE));
        metrics.watchQueue(queue);
        submit();
        assertThat(messages("active")).isEqualTo(1);
        metrics.close();
    }

    @Test
    void syncsAndTheWritesTheyCarryAreCounted() throws Exception {
        RelayMetrics metrics = RelayMetrics.on(registry, List.of(), clock);
        queue = SpoolQueue.open(dir.resolve("spool"), SETTINGS, clock, metrics.queueEvents(QueueEvents.NONE));
        double syncsBefore = registry.get("relay.spool.syncs").counter().count();
        double writesBefore = registry.get("relay.spool.writes").counter().count();
        QueueId id = submit();
        submit();
        assertThat(queue.hold(id)).isTrue();
        // the writer completes the writes' futures first and reports the sync right after
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> registry.get("relay.spool.writes").counter().count() - writesBefore >= 3);
        double syncs = registry.get("relay.spool.syncs").counter().count() - syncsBefore;
        double writes = registry.get("relay.spool.writes").counter().count() - writesBefore;
        assertThat(writes).isEqualTo(3);
        assertThat(syncs).isBetween(1.0, 3.0);
        metrics.close();
    }

    @Test
    void aFileMovedAsideAtRecoveryIsCounted() throws Exception {
        Path spool = dir.resolve("spool");
        SpoolQueue.open(spool, SETTINGS, clock, QueueEvents.NONE).close();
        Files.writeString(spool.resolve("segments").resolve("notes.txt"), "not a segment");
        RelayMetrics metrics = RelayMetrics.on(registry, List.of(), clock);
        assertThat(registry.get("relay.queue.corrupt.files").counter().count()).isZero();

        queue = SpoolQueue.open(spool, SETTINGS, clock, metrics.queueEvents(QueueEvents.NONE));

        assertThat(registry.get("relay.queue.corrupt.files").counter().count()).isEqualTo(1);
        metrics.close();
    }

    private QueueId submit() throws Exception {
        return TestMessages.queue(queue, clock.instant(), "bob@dest.test");
    }
}
