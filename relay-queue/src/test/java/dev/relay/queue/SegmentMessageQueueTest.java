package dev.relay.queue;

import dev.relay.queue.spool.SpoolQueue;

import dev.relay.queue.spool.SpoolTuning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.TestOutcomes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The contract over the disk store, with small segments so that rolls happen too. */
class SegmentMessageQueueTest extends MessageQueueContract {

    static final SpoolTuning SMALL = new SpoolTuning(1 << 20, 16 << 10, 0.25);

    @TempDir
    Path directory;

    @Override
    protected MessageQueue open(QueueSettings settings, Clock clock, QueueEvents events) throws IOException {
        return SpoolQueue.open(directory.resolve("spool"), settings, SMALL, clock, events);
    }

    @Override
    protected int largeBodySize() {
        return SMALL.inlineBodyLimit() + 1;
    }

    /** A reload: the next deferral follows the new schedule, a retry already scheduled keeps its time. */
    @Test
    void aNewRetryScheduleAppliesToTheNextDeferral() throws Exception {
        QueueId first = commit("bob@example.org");
        QueueId second = commit("carol@example.org");
        queue.takeDue(clock.instant(), 2);
        QueuedMessage before = queue.recordResults(first, Map.of(0, TestOutcomes.deferred("451 later")))
                .get(30, TimeUnit.SECONDS);

        ((SpoolQueue) queue).reconfigure(new RetrySchedule(List.of(Duration.ofMinutes(7)), Duration.ofHours(3)), 0);
        QueuedMessage after = queue.recordResults(second, Map.of(0, TestOutcomes.deferred("451 later")))
                .get(30, TimeUnit.SECONDS);

        assertThat(before.statuses().getFirst()).isEqualTo(
                new RecipientStatus.Deferred(START.plus(Duration.ofMinutes(1)), TestOutcomes.deferred("451 later")));
        assertThat(found(first).statuses()).isEqualTo(before.statuses());
        assertThat(after.statuses().getFirst()).isEqualTo(
                new RecipientStatus.Deferred(START.plus(Duration.ofMinutes(7)), TestOutcomes.deferred("451 later")));
    }

    /** A reload: a new message cap applies to the next message. */
    @Test
    void aNewMessageCapAppliesAtOnce() throws Exception {
        commit("bob@example.org");
        assertThat(queue.admission()).isEqualTo(Admission.OPEN);
        ((SpoolQueue) queue).reconfigure(SCHEDULE, 1);
        assertThat(queue.admission()).isInstanceOf(Admission.Refused.class);
    }
}
