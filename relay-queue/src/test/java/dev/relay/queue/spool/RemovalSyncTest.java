package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The removal of a delivered message is written at once but synced with the next record that
 * needs a sync, or on its own once {@link SpoolTuning#removalSyncWithin} has passed; every other
 * record, an operator's delete included, is synced before its caller hears back.
 */
class RemovalSyncTest {

    private static final long MB = 1 << 20;

    @TempDir
    Path temp;

    private static SpoolTuning syncingRemovalsWithin(Duration within) {
        return new SpoolTuning(MB, 64 << 10, 0, within);
    }

    /** The spool under test, its segments' syncs counted by {@code io}. */
    private SpoolFixture open(Duration removalSyncWithin, FaultyIo io) throws Exception {
        return new SpoolFixture(temp.resolve("spool"), syncingRemovalsWithin(removalSyncWithin), 0, io);
    }

    private static QueuedMessage deliver(SpoolFixture spool, QueueId id) throws Exception {
        return spool.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aDeliveredMessagesRemovalRidesOnTheNextSync() throws Exception {
        FaultyIo io = new FaultyIo();
        QueueId delivered;
        QueueId waiting;
        QueueId later;
        try (SpoolFixture spool = open(Duration.ofHours(1), io)) {
            delivered = spool.commit(SpoolFixture.randomBody(3000, 1));
            waiting = spool.commit(SpoolFixture.randomBody(3000, 2));
            int forces = io.forces.get();
            long synced = spool.events.syncedRequests.get();

            assertThat(deliver(spool, delivered).isComplete()).isTrue();
            assertThat(spool.events.completed()).containsExactly(delivered);
            assertThat(io.forces.get()).as("no sync for the removal alone").isEqualTo(forces);
            assertThat(spool.queue.list()).extracting(QueuedMessage::id).containsExactly(waiting);

            later = spool.commit(SpoolFixture.randomBody(3000, 3));
            assertThat(io.forces.get()).isEqualTo(forces + 1);
            assertThat(spool.events.syncedRequests.get()).as("the new message's sync made the removal durable too")
                    .isEqualTo(synced + 2);
        }
        try (SpoolFixture spool = open(Duration.ofHours(1), new FaultyIo())) {
            assertThat(spool.queue.list()).extracting(QueuedMessage::id).containsExactlyInAnyOrder(waiting, later);
        }
    }

    @Test
    void aLoneRemovalIsSyncedOnceItsTimeIsUp() throws Exception {
        FaultyIo io = new FaultyIo();
        try (SpoolFixture spool = open(Duration.ofMillis(200), io)) {
            QueueId id = spool.commit(SpoolFixture.randomBody(3000, 1));
            int forces = io.forces.get();
            long synced = spool.events.syncedRequests.get();

            assertThat(deliver(spool, id).isComplete()).isTrue();

            await().atMost(30, TimeUnit.SECONDS).until(() -> io.forces.get() > forces);
            assertThat(spool.events.syncedRequests.get()).isEqualTo(synced + 1);
            assertThat(io.forces.get()).as("one sync, then the writer rests").isEqualTo(forces + 1);
        }
    }

    @Test
    void deferralsAndAnOperatorsDeleteAreSyncedBeforeTheCallerHearsBack() throws Exception {
        FaultyIo io = new FaultyIo();
        try (SpoolFixture spool = open(Duration.ofHours(1), io)) {
            QueueId deferred = spool.commit(SpoolFixture.randomBody(3000, 1));
            QueueId deleted = spool.commit(SpoolFixture.randomBody(3000, 2));
            int forces = io.forces.get();

            QueuedMessage after = spool.queue.recordResults(deferred,
                    Map.of(0, TestOutcomes.deferred("451 try later"))).get(30, TimeUnit.SECONDS);
            assertThat(after.isComplete()).isFalse();
            assertThat(io.forces.get()).isEqualTo(forces + 1);

            assertThat(spool.queue.delete(deleted)).isTrue();
            assertThat(io.forces.get()).isEqualTo(forces + 2);
        }
    }
}
