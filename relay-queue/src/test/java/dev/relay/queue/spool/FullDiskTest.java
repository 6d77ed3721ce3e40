package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.queue.Admission;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.SmallDisk;
import dev.relay.queue.SpoolFullException;
import dev.relay.queue.WriteFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on a full disk: a real small file system (a tmpfs the test mounts, when it runs as
 * root) for running out of room, and {@link FaultyIo} for failures a real disk cannot produce on
 * cue. What must hold: the spool never takes the disk below its reserve by itself, a message
 * refused is never on disk, room coming back resumes writing without a restart, and delivery
 * results are never dropped for lack of room.
 */
class FullDiskTest {

    private static final long MB = 1 << 20;
    private static final SpoolTuning TWO_MB = new SpoolTuning(2 * MB, 64 << 10, 0);
    private static final SpoolTuning ONE_MB = new SpoolTuning(MB, 64 << 10, 0);

    @TempDir
    Path temp;

    @Test
    void fullDiskRefusesNewMailWithNothingHalfWrittenAndResumesWhenDeliveriesFreeSpace() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(temp.resolve("disk"), 16 * MB)) {
            long reserve = 4 * MB;
            // head: 2 MB; next: 1 MB for mail (all that leaves the reserve); then 1 MB for results only
            disk.fillTo(7 * MB + MB / 2);
            Path directory = disk.root().resolve("spool");
            Set<QueueId> accepted = ConcurrentHashMap.newKeySet();
            Set<QueueId> refused = ConcurrentHashMap.newKeySet();
            try (SpoolFixture spool = new SpoolFixture(directory, TWO_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                // eight clients at once, so that batches straddle the moment the room runs out
                List<Thread> clients = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int c = 0; c < 8; c++) {
                    int client = c;
                    clients.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < 1000; i++) {
                            try (MessageDraft draft = spool.queue.newDraft()) {
                                draft.write(SpoolFixture.randomBody(20_000, client * 1000L + i));
                                try {
                                    accepted.add(draft.commit(spool.envelope("bob@example.org")).join());
                                } catch (CompletionException e) {
                                    refused.add(draft.id());
                                    failures.add(e.getCause());
                                    return;
                                }
                            } catch (IOException e) {
                                failures.add(e);
                                return;
                            }
                        }
                    }));
                }
                for (Thread client : clients) {
                    client.join(60_000);
                }
                assertThat(refused).hasSize(8);
                assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(SpoolFullException.class));
                assertThat(accepted.size()).as("3 MB of mail room, 20 KB each").isBetween(120, 160);
                assertThat(spool.queue.admission()).isInstanceOfSatisfying(Admission.Refused.class,
                        refusedNow -> assertThat(refusedNow.reason()).contains("has no room"));
                assertThat(spool.events.writable()).containsExactly(false);
                assertThat(spool.events.writeFailures()).contains(WriteFailure.NO_SPACE);
                assertThat(disk.free()).as("never below half the reserve").isGreaterThanOrEqualTo(reserve / 2);
            }

            // a restart with little room: every acknowledged message is there, no refused one
            try (SpoolFixture spool = new SpoolFixture(directory, TWO_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                Set<QueueId> recovered = ids(spool.queue.list());
                assertThat(recovered).isEqualTo(accepted);
                assertThat(recovered).doesNotContainAnyElementsOf(refused);
                assertThat(spool.queue.admission()).isInstanceOf(Admission.Refused.class);

                // delivering frees the space; new mail is taken again without a restart
                List<CompletableFuture<QueuedMessage>> results = new ArrayList<>();
                for (QueueId id : accepted) {
                    results.add(spool.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))));
                }
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> spool.queue.admission() instanceof Admission.Open);
                assertThat(spool.events.writable()).containsExactly(false, true);
                QueueId later = spool.commit(SpoolFixture.randomBody(20_000, 99));
                assertThat(spool.queue.find(later)).isPresent();
                accepted.clear();
                accepted.add(later);
            }
            try (SpoolFixture spool = new SpoolFixture(directory, TWO_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                assertThat(ids(spool.queue.list())).isEqualTo(accepted);
            }
        }
    }

    @Test
    void aFailedZeroFillLeavesNoPartialFileAndTheHeadKeepsTakingMail() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(temp.resolve("disk"), 8 * MB)) {
            FaultyIo io = new FaultyIo();
            // the check says there is room, the disk has not: as when another process fills it meanwhile
            io.reportedFree.set(1L << 30);
            // room for the start's first segment (one 1 MB step), not for the 3 MB one after it
            disk.fillTo(7 * MB / 2);
            SpoolTuning threeMb = new SpoolTuning(3 * MB, 64 << 10, 0);
            try (SpoolFixture spool = new SpoolFixture(disk.root().resolve("spool"), threeMb, 0, io)) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> spool.events.writeFailures().contains(WriteFailure.NO_SPACE));
                assertThat(tmpFiles(spool)).isEmpty();
                assertThat(disk.free()).as("the partial segment was removed").isGreaterThan(2 * MB - 256 * 1024);
                List<QueueId> ids = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    ids.add(spool.commit(SpoolFixture.randomBody(20_000, i)));
                }
                assertThat(spool.queue.list()).hasSize(40);
                assertThat(spool.body(ids.get(39))).isEqualTo(SpoolFixture.randomBody(20_000, 39));
            }
        }
    }

    @Test
    void aFailedSyncIsUndoneOnDiskBeforeItIsReportedAndTheSpoolGoesOn() throws Exception {
        FaultyIo io = new FaultyIo();
        Path directory = temp.resolve("spool");
        Set<QueueId> accepted = new HashSet<>();
        try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB, 0, io)) {
            for (int i = 0; i < 5; i++) {
                accepted.add(spool.commit(SpoolFixture.randomBody(3000, i)));
            }
            io.failingForces.set(1);
            QueueId refused;
            try (MessageDraft draft = spool.queue.newDraft()) {
                refused = draft.id();
                draft.write(SpoolFixture.randomBody(3000, 77));
                CompletableFuture<QueueId> commit = draft.commit(spool.envelope("carol@example.org"));
                assertThatThrownBy(() -> commit.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IOException.class).isNotInstanceOf(SpoolFullException.class)
                        .hasMessageContaining("could not write");
            }
            assertThat(spool.events.writeFailures()).containsExactly(WriteFailure.IO_ERROR);
            assertThat(spool.queue.admission()).isInstanceOfSatisfying(Admission.Refused.class,
                    refusedNow -> assertThat(refusedNow.reason()).contains("could not write"));

            // what a crash right now would leave: the refused message must not be in it
            Path crashed = temp.resolve("crashed");
            SpoolFixture.copyTree(directory, crashed);
            Files.deleteIfExists(crashed.resolve("lock"));
            try (SpoolFixture copy = new SpoolFixture(crashed, ONE_MB)) {
                assertThat(ids(copy.queue.list())).isEqualTo(accepted);
            }

            // the failure was passing: the next commit goes through, no restart
            accepted.add(spool.commit(SpoolFixture.randomBody(3000, 6)));
            assertThat(ids(spool.queue.list())).doesNotContain(refused).isEqualTo(accepted);
        }
        try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB)) {
            assertThat(ids(spool.queue.list())).isEqualTo(accepted);
        }
    }

    @Test
    void aDeliveryResultWhoseWriteFailsIsWrittenAgainNotDropped() throws Exception {
        FaultyIo io = new FaultyIo();
        Path directory = temp.resolve("spool");
        try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB, 0, io)) {
            QueueId id = spool.commit(SpoolFixture.randomBody(3000, 1));
            long syncedBefore = spool.events.syncedRequests.get();
            io.failingForces.set(1);
            CompletableFuture<QueuedMessage> result =
                    spool.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok")));
            assertThat(result.get(30, TimeUnit.SECONDS).isComplete()).isTrue();
            assertThat(spool.events.completed()).containsExactly(id);
            // the removal is synced within a second; that sync fails and undoes it, so it is written
            // and synced again rather than dropped
            await().atMost(30, TimeUnit.SECONDS).until(() -> spool.events.syncedRequests.get() > syncedBefore);
            assertThat(spool.events.syncedRequests.get()).isEqualTo(syncedBefore + 1);
            assertThat(spool.events.writeFailures()).containsExactly(WriteFailure.IO_ERROR);
        }
        try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB)) {
            assertThat(spool.queue.list()).as("the delivery was recorded: no second one after a restart").isEmpty();
        }
    }

    @Test
    void aWriteFailingForLackOfSpaceRefusesWith452NotTheRestOfTheBatch() throws Exception {
        FaultyIo io = new FaultyIo();
        io.error = FaultyIo.NO_SPACE; // a copy-on-write file system runs out even inside a preallocated file
        try (SpoolFixture spool = new SpoolFixture(temp.resolve("spool"), ONE_MB, 0, io)) {
            QueueId before = spool.commit(SpoolFixture.randomBody(3000, 1));
            io.failingWrites.set(1);
            try (MessageDraft draft = spool.queue.newDraft()) {
                draft.write(SpoolFixture.randomBody(3000, 2));
                CompletableFuture<QueueId> commit = draft.commit(spool.envelope("carol@example.org"));
                assertThatThrownBy(() -> commit.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(SpoolFullException.class);
            }
            assertThat(spool.events.writeFailures()).containsExactly(WriteFailure.NO_SPACE);
            QueueId after = spool.commit(SpoolFixture.randomBody(3000, 3));
            assertThat(ids(spool.queue.list())).containsExactlyInAnyOrder(before, after);
        }
    }

    @Test
    void startsWithNoRoomAtAllKeepsDeliveryResultsWaitingClosesCleanlyAndWritesThemWhenRoomComes() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(temp.resolve("disk"), 8 * MB)) {
            long reserve = 2 * MB;
            Path directory = disk.root().resolve("spool");
            Set<QueueId> queued = new HashSet<>();
            try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                for (int i = 0; i < 30; i++) {
                    queued.add(spool.commit(SpoolFixture.randomBody(20_000, i)));
                }
            }
            // less than one segment above half the reserve: no segment at all can be made
            disk.fillTo(MB + MB / 2);
            try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                assertThat(ids(spool.queue.list())).isEqualTo(queued);
                assertThat(spool.queue.admission()).isInstanceOf(Admission.Refused.class);
                List<CompletableFuture<QueuedMessage>> results = new ArrayList<>();
                for (QueueId id : queued) {
                    results.add(spool.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))));
                }
                spool.quiesce();
                assertThat(results).noneMatch(CompletableFuture::isDone);
                spool.close(); // SIGTERM now: closes without an error, the waiting results fail, loudly
                assertThat(results).allSatisfy(result -> assertThatThrownBy(result::join)
                        .cause().isInstanceOf(SpoolFullException.class));
            }
            try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                // not recorded, so still queued: delivered again (documented), never lost
                assertThat(ids(spool.queue.list())).isEqualTo(queued);
                List<CompletableFuture<QueuedMessage>> results = new ArrayList<>();
                for (QueueId id : queued) {
                    results.add(spool.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))));
                }
                disk.freeUp(MB); // the operator deletes something: a segment for results fits now
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                assertThat(spool.queue.list()).isEmpty();
                disk.freeUp(4 * MB);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> spool.queue.admission() instanceof Admission.Open);
                spool.commit(SpoolFixture.randomBody(20_000, 100));
            }
            try (SpoolFixture spool = new SpoolFixture(directory, ONE_MB, reserve, SpoolIo.FILE_SYSTEM)) {
                assertThat(spool.queue.list()).hasSize(1);
            }
        }
    }

    private static Set<QueueId> ids(List<QueuedMessage> messages) {
        Set<QueueId> ids = new HashSet<>();
        messages.forEach(message -> ids.add(message.id()));
        return ids;
    }

    private static List<Path> tmpFiles(SpoolFixture spool) throws IOException {
        try (Stream<Path> files = Files.list(spool.layout.segments)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
