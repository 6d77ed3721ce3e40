package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecoveryProgress;
import dev.relay.queue.RetrySchedule;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool opens before the messages already in it are read: new mail is taken while a
 * background replay reads the old segments (held here by a {@link RecoveryPace}, not by timing),
 * and the old messages join the queue when it is done. Crashes during the replay are in
 * {@link KillRecoveryTest} (the child writes while its replay is held).
 */
class BackgroundRecoveryTest {

    private static final SpoolTuning TUNING = new SpoolTuning(64 << 10, 8 << 10, 0.5);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Holds the replay before its {@code from}-th segment (counting from 1) until released. */
    static final class HeldReplay implements RecoveryPace {
        private final int from;
        private final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger reached = new AtomicInteger();

        HeldReplay(int from) {
            this.from = from;
        }

        @Override
        public void beforeSegment(long segment) throws IOException {
            if (reached.incrementAndGet() >= from) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("the test's hold was interrupted");
                }
            }
        }

        void release() {
            release.countDown();
        }
    }

    private record OldSpool(List<QueueId> ids, QueueId spilled, QueueId orphan, int segments) {}

    /** A spool of 60 small messages and one whose body has a file of its own, plus an orphan body file. */
    private OldSpool oldSpool() throws Exception {
        List<QueueId> ids = new ArrayList<>();
        QueueId spilled;
        try (SpoolFixture spool = new SpoolFixture(dir, TUNING)) {
            for (int i = 0; i < 60; i++) {
                ids.add(spool.commit(SpoolFixture.randomBody(3_000, i), "r" + i + "@example.org"));
            }
            spilled = spool.commit(SpoolFixture.randomBody(20_000, 99), "big@example.org");
            ids.add(spilled);
        }
        SpoolLayout layout = new SpoolLayout(dir);
        assertThat(layout.largeBody(spilled)).exists();
        // a body whose commit never made it: the sweep at the end of the replay deletes it
        QueueId orphan = new QueueIdGenerator(java.time.Clock.systemUTC()).next();
        Files.write(layout.largeBody(orphan), new byte[12_000]);
        int segments;
        try (var files = Files.list(layout.segments)) {
            segments = (int) files.count();
        }
        assertThat(segments).as("the old spool spans several segments").isGreaterThan(2);
        return new OldSpool(ids, spilled, orphan, segments);
    }

    private SpoolQueue openRecovering(RecoveryPace pace, QueueEvents events) throws IOException {
        return SpoolQueue.openRecovering(dir, new QueueSettings(RetrySchedule.DEFAULT, 0, 0), TUNING,
                java.time.Clock.systemUTC(), events, pace);
    }

    private static QueueId commit(SpoolQueue queue, byte[] body, String recipient) throws Exception {
        try (MessageDraft draft = queue.newDraft()) {
            draft.write(body);
            return draft.commit(new dev.relay.queue.Envelope("alice@example.com",
                    List.of(dev.relay.queue.RecipientAddress.of(recipient)), dev.relay.queue.MailParameters.NONE,
                    java.time.Instant.now(), "192.0.2.7", "client.example.com", java.util.Optional.empty()))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] body(SpoolQueue queue, QueueId id) throws IOException {
        try (var in = queue.openBody(id)) {
            return in.readAllBytes();
        }
    }

    @Test
    void mailAcceptedWhileTheOldSpoolIsReadIsQueuedDeliveredKeptAndSurvivesARestart() throws Exception {
        OldSpool old = oldSpool();
        HeldReplay held = new HeldReplay(1);
        AtomicInteger recoveredEvent = new AtomicInteger(-1);
        QueueEvents events = new QueueEvents() {
            @Override
            public void recovered(int messages) {
                recoveredEvent.set(messages);
            }
        };
        byte[] bigBody = SpoolFixture.randomBody(30_000, 7);
        QueueId kept;
        QueueId delivered;
        try (SpoolQueue queue = openRecovering(held, events)) {
            await().atMost(WAIT).until(() -> held.reached.get() == 1);
            RecoveryProgress progress = queue.recovering().orElseThrow();
            assertThat(progress.segments()).isEqualTo(old.segments());
            assertThat(progress.segmentsReplayed()).isZero();
            assertThat(progress.describe()).startsWith("recovering the spool:").contains("0 of " + old.segments());

            // while nothing old is read yet: a spilled and a small message are taken, durable, deliverable
            kept = commit(queue, bigBody, "new@example.org");
            delivered = commit(queue, SpoolFixture.randomBody(500, 8), "done@example.org");
            assertThat(old.ids()).doesNotContain(kept, delivered);
            assertThat(new SpoolLayout(dir).largeBody(kept)).exists();
            assertThat(queue.list()).extracting(QueuedMessage::id).containsExactly(kept, delivered);
            List<QueuedMessage> due = queue.takeDue(java.time.Instant.now().plusSeconds(1), 10);
            assertThat(due).extracting(QueuedMessage::id).containsExactlyInAnyOrder(kept, delivered);
            queue.recordResults(delivered, Map.of(0, TestOutcomes.delivered("250 ok"))).get(30, TimeUnit.SECONDS);
            queue.giveBack(kept);
            assertThat(recoveredEvent.get()).as("not merged while held").isEqualTo(-1);

            held.release();
            queue.awaitRecovery();
            assertThat(queue.recovering()).isEmpty();
            assertThat(recoveredEvent.get()).isEqualTo(old.ids().size());
            Set<QueueId> listed = new HashSet<>();
            queue.list().forEach(message -> listed.add(message.id()));
            Set<QueueId> expected = new HashSet<>(old.ids());
            expected.add(kept);
            assertThat(listed).isEqualTo(expected);
            // the new message's body file was not taken for an orphan; the real orphan was
            assertThat(body(queue, kept)).isEqualTo(bigBody);
            assertThat(new SpoolLayout(dir).largeBody(old.orphan())).doesNotExist();
            assertThat(body(queue, old.spilled())).isEqualTo(SpoolFixture.randomBody(20_000, 99));
        }

        try (SpoolQueue queue = SpoolQueue.open(dir, new QueueSettings(RetrySchedule.DEFAULT, 0, 0), TUNING,
                java.time.Clock.systemUTC(), QueueEvents.NONE)) {
            List<QueueId> ids = queue.list().stream().map(QueuedMessage::id).toList();
            assertThat(ids).hasSize(old.ids().size() + 1).doesNotHaveDuplicates()
                    .containsAll(old.ids()).contains(kept).doesNotContain(delivered);
            assertThat(body(queue, kept)).isEqualTo(bigBody);
        }
    }

    @Test
    void whileTheReplayRunsTheStoreHoldsTheIdsAlreadyReadAndTheBodyFilesFoundSoNewMailGetsNoneOfThem()
            throws Exception {
        OldSpool old = oldSpool();
        HeldReplay held = new HeldReplay(3); // the first two segments are read, then it waits
        SegmentSpoolStore store = SegmentSpoolStore.openRecovering(dir, TUNING, 0, QueueEvents.NONE,
                SpoolIo.FILE_SYSTEM, held);
        try {
            await().atMost(WAIT).until(() -> held.reached.get() == 3);
            QueueId first = old.ids().getFirst();
            assertThat(store.holds(first)).as("read from the first segment").isTrue();
            assertThat(store.holds(old.orphan())).as("a body file found at start").isTrue();
            assertThat(store.holds(old.spilled())).as("a body file found at start").isTrue();
            QueueId fresh = new QueueIdGenerator(java.time.Clock.systemUTC()).next();
            assertThat(store.holds(fresh)).isFalse();
            var recovered = store.recovered();
            assertThat(recovered).isNotDone();
            assertThat(store.recovering().orElseThrow().segmentsReplayed()).isEqualTo(2);

            held.release();
            List<StoredMessage> found = recovered.get(30, TimeUnit.SECONDS);
            assertThat(found).extracting(StoredMessage::id).containsExactlyInAnyOrderElementsOf(old.ids());
            assertThat(store.recovered().get(30, TimeUnit.SECONDS)).as("handed over once, then dropped").isEmpty();
            assertThat(store.holds(first)).as("handed over: the queue's own index knows it now").isFalse();
            assertThat(store.recovering()).isEmpty();
        } finally {
            store.close();
        }
    }

    @Test
    void noSegmentIsDeletedOrCompactedWhileTheReplayRunsAndTheSpoolTidiesUpAfterIt() throws Exception {
        // an old spool whose messages are all done except one: its segments are dead once read
        QueueId survivor;
        try (SpoolFixture spool = new SpoolFixture(dir, TUNING)) {
            List<QueueId> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add(spool.commit(SpoolFixture.randomBody(3_000, i), "r" + i + "@example.org"));
            }
            survivor = ids.removeLast();
            for (QueueId id : ids) {
                spool.queue.takeDue(spool.clock.instant(), 100);
                spool.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))).get(30, TimeUnit.SECONDS);
            }
        }
        SpoolLayout layout = new SpoolLayout(dir);
        List<String> before;
        try (var files = Files.list(layout.segments)) {
            before = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        HeldReplay held = new HeldReplay(1);
        SegmentSpoolStore store = SegmentSpoolStore.openRecovering(dir, TUNING, 0, QueueEvents.NONE,
                SpoolIo.FILE_SYSTEM, held);
        try (SpoolQueue queue = SpoolQueue.overRecovering(store, new QueueSettings(RetrySchedule.DEFAULT, 0, 0),
                java.time.Clock.systemUTC(), QueueEvents.NONE)) {
            await().atMost(WAIT).until(() -> held.reached.get() == 1);
            // new mail comes and goes meanwhile: the writer turns, but must not touch old segments
            for (int i = 0; i < 30; i++) {
                QueueId id = commit(queue, SpoolFixture.randomBody(3_000, 1_000 + i), "n" + i + "@example.org");
                queue.takeDue(java.time.Instant.now().plusSeconds(1), 100);
                queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))).get(30, TimeUnit.SECONDS);
            }
            try (var files = Files.list(layout.segments)) {
                assertThat(files.map(file -> file.getFileName().toString()).toList()).containsAll(before);
            }
            held.release();
            queue.awaitRecovery();
            assertThat(queue.list()).extracting(QueuedMessage::id).containsExactly(survivor);
            // the writer deletes and compacts between its turns: barriers make it turn
            await().atMost(WAIT).untilAsserted(() -> {
                store.quiesce().get(30, TimeUnit.SECONDS);
                try (var files = Files.list(layout.segments)) {
                    assertThat(files.map(file -> file.getFileName().toString()).toList())
                            .as("the old segments, dead or compacted once merged, are deleted")
                            .doesNotContainAnyElementsOf(before);
                }
            });
        }
    }
}
