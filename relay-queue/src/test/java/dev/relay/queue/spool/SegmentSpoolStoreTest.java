package dev.relay.queue.spool;

import dev.relay.outcome.TestOutcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.outcome.Outcome;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery, damage handling and compaction of the segment store, looking at its files. */
class SegmentSpoolStoreTest {

    private static final SpoolTuning ONE_SEGMENT = new SpoolTuning(1 << 20, 16 << 10, 0);
    private static final SpoolTuning TINY_NO_COMPACTION = new SpoolTuning(64 << 10, 8 << 10, 0);

    @TempDir
    Path temp;

    private SpoolFixture spool;

    @AfterEach
    void close() throws IOException {
        if (spool != null) {
            spool.close();
        }
    }

    private SpoolFixture open(Path directory, SpoolTuning tuning) throws IOException {
        spool = new SpoolFixture(directory, tuning);
        return spool;
    }

    @Test
    void lastSegmentCutAtAnyOffsetKeepsEveryRecordBeforeTheCutAndNothingAfter() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        Map<QueueId, byte[]> bodies = new LinkedHashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            byte[] body = SpoolFixture.randomBody(100 + random.nextInt(3000), i);
            bodies.put(fixture.commit(body), body);
        }
        // what a crash would leave: every commit synced, the head segment still open
        Path crashed = temp.resolve("crashed");
        SpoolFixture.copyTree(fixture.directory, crashed);
        fixture.close();
        long segment = 1;
        Path segmentFile = new SpoolLayout(crashed).segment(segment);
        List<SpoolRecord> records = SpoolFixture.records(segmentFile, segment);
        assertThat(records).hasSize(41); // header + 40 messages
        long end = records.getLast().pos().end();

        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, 5L, (long) RecordFormat.HEADER_SIZE, records.get(0).pos().end(),
                records.get(1).pos().end() - 1, records.get(20).pos().end(), end - 1, end, end + 100));
        while (cuts.size() < 30) {
            cuts.add(random.nextLong(end + 1));
        }
        for (long cut : cuts) {
            Path copy = temp.resolve("cut-" + cut);
            SpoolFixture.copyTree(crashed, copy);
            try (FileChannel channel = FileChannel.open(new SpoolLayout(copy).segment(segment), StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            List<QueueId> expected = records.stream().skip(1).filter(r -> r.pos().end() <= cut)
                    .map(SpoolFixture::messageId).toList();

            SpoolFixture reopened = open(copy, ONE_SEGMENT);
            assertThat(reopened.queue.list()).as("cut at %d", cut).extracting(QueuedMessage::id)
                    .containsExactlyElementsOf(expected);
            for (QueueId id : expected) {
                assertThat(reopened.body(id)).isEqualTo(bodies.get(id));
            }
            assertThat(reopened.events.corrupt()).as("cut at %d", cut).isEmpty();
            // the cut segment was sealed where its records end: a second start sees no damage
            reopened.reopen();
            assertThat(reopened.queue.list()).extracting(QueuedMessage::id).containsExactlyElementsOf(expected);
            assertThat(reopened.events.corrupt()).isEmpty();
            reopened.close();
            SpoolFixture.deleteTree(copy);
        }
    }

    @Test
    void recoveryStartsANewSegmentAndSealsTheOldHeadAtItsLastRecord() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        QueueId before = fixture.commit("before".getBytes());
        Path crashed = temp.resolve("crashed");
        SpoolFixture.copyTree(fixture.directory, crashed);
        fixture.close();
        // a torn write after the last record: half a record's worth of junk
        Path head = new SpoolLayout(crashed).segment(1);
        long end = SpoolFixture.records(head, 1).getLast().pos().end();
        try (FileChannel channel = FileChannel.open(head, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(SpoolFixture.randomBody(3000, 9)), end);
        }

        SpoolFixture reopened = open(crashed, ONE_SEGMENT);
        QueueId after = reopened.commit("after".getBytes());

        assertThat(reopened.segmentNumbers()).containsExactly(1L, 2L);
        assertThat(Files.size(head)).isLessThan(ONE_SEGMENT.segmentSize());
        reopened.reopen();
        assertThat(reopened.queue.list()).extracting(QueuedMessage::id).containsExactlyInAnyOrder(before, after);
        assertThat(reopened.events.corrupt()).isEmpty();
    }

    @Test
    void damagedSealedSegmentMovesToCorruptAndEverythingReadableStays() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), TINY_NO_COMPACTION);
        Map<QueueId, byte[]> bodies = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            byte[] body = SpoolFixture.randomBody(2000, i);
            bodies.put(fixture.commit(body), body);
        }
        fixture.close();
        assertThat(fixture.segmentNumbers()).hasSizeGreaterThanOrEqualTo(3);
        Path first = fixture.layout.segment(1);
        List<SpoolRecord> records = SpoolFixture.records(first, 1);
        SpoolRecord victim = records.get(10);
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("garbage garbage garbage".getBytes()), victim.pos().offset() + 200);
        }
        QueueId lost = SpoolFixture.messageId(victim);

        fixture.open();

        assertThat(fixture.events.corrupt()).extracting(c -> c.fileName()).containsExactly("000000001.log");
        assertThat(fixture.files(fixture.layout.corrupt)).containsExactly("000000001.log");
        assertThat(fixture.segmentNumbers()).doesNotContain(1L);
        bodies.remove(lost);
        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactlyInAnyOrderElementsOf(bodies.keySet());
        for (Map.Entry<QueueId, byte[]> entry : bodies.entrySet()) {
            assertThat(fixture.body(entry.getKey())).isEqualTo(entry.getValue());
        }
        // the readable records were rewritten before the file moved: a restart keeps them
        fixture.reopen();
        assertThat(fixture.events.corrupt()).isEmpty();
        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactlyInAnyOrderElementsOf(bodies.keySet());
    }

    @Test
    void removalsReadFromADamagedSegmentStayRemoved() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), TINY_NO_COMPACTION);
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(fixture.commit(SpoolFixture.randomBody(2000, i)));
        }
        // segment 1 is full of live messages; delete two of them while segment 2 is the head
        QueueId deleted = ids.get(3);
        fixture.queue.delete(deleted);
        fixture.queue.delete(ids.get(4));
        long tombstones = fixture.segmentNumbers().getLast();
        for (int i = 0; i < 40; i++) {
            fixture.commit(SpoolFixture.randomBody(2000, 100 + i));
        }
        fixture.close();
        assertThat(fixture.segmentNumbers().getLast()).isGreaterThan(tombstones);
        // damage the tombstones' segment after its removals
        Path file = fixture.layout.segment(tombstones);
        long end = SpoolFixture.records(file, tombstones).getLast().pos().end();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("junk".repeat(10).getBytes()), end - 30);
        }

        fixture.open();
        assertThat(fixture.events.corrupt()).hasSize(1);
        assertThat(fixture.queue.find(deleted)).isEmpty();
        fixture.reopen();
        assertThat(fixture.queue.find(deleted)).isEmpty();
        assertThat(fixture.queue.find(ids.get(4))).isEmpty();
        assertThat(fixture.queue.find(ids.get(5))).isPresent();
    }

    @Test
    void orphanBodyFileIsDeletedAndAStrangeFileMovesToCorrupt() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        QueueId kept = fixture.commit("kept".getBytes());
        fixture.close();
        Path orphan = fixture.layout.large.resolve("0PQ3C1AB7Z9K2M4N0000.body");
        Files.write(orphan, SpoolFixture.randomBody(50_000, 1));
        Files.writeString(fixture.layout.segments.resolve("notes.txt"), "hello");

        fixture.open();

        assertThat(orphan).doesNotExist();
        assertThat(fixture.files(fixture.layout.corrupt)).containsExactly("notes.txt");
        assertThat(fixture.events.corrupt()).extracting(c -> c.fileName()).containsExactly("notes.txt");
        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactly(kept);
    }

    @Test
    void largeBodySpillsToItsOwnFileThatGoesWithTheMessage() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        byte[] large = SpoolFixture.randomBody(5 * ONE_SEGMENT.inlineBodyLimit(), 1);
        QueueId delivered = fixture.commit(large);
        QueueId deleted = fixture.commit(large);
        assertThat(fixture.files(fixture.layout.large)).containsExactlyInAnyOrder(delivered + ".body", deleted + ".body");
        assertThat(Files.size(fixture.layout.largeBody(delivered))).isEqualTo(large.length);

        fixture.queue.recordResults(delivered, Map.of(0, TestOutcomes.delivered("250 ok")))
                .get(30, TimeUnit.SECONDS);
        fixture.queue.delete(deleted);
        fixture.quiesce();

        assertThat(fixture.files(fixture.layout.large)).isEmpty();
        fixture.reopen();
        assertThat(fixture.queue.list()).isEmpty();
    }

    @Test
    void messageWhoseBodyFileIsMissingIsDroppedAtStart() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        QueueId large = fixture.commit(SpoolFixture.randomBody(3 * ONE_SEGMENT.inlineBodyLimit(), 1));
        QueueId small = fixture.commit("small".getBytes());
        fixture.close();
        Files.delete(fixture.layout.largeBody(large));

        fixture.open();

        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactly(small);
    }

    /**
     * A compacting spool of small segments holding 150 messages of 1000 bytes, every tenth of
     * them to stay queued ({@code live}) and the rest to be delivered ({@code done});
     * {@code headBefore} is the newest segment once they are all written.
     */
    private record CompactionCase(SpoolFixture fixture, Map<QueueId, byte[]> live, List<QueueId> done, long headBefore) {

        void deliverDone() throws Exception {
            for (QueueId id : done) {
                fixture.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))).get(30, TimeUnit.SECONDS);
            }
        }

        /** Every segment sealed before the completions is gone: dead ones deleted, sparse ones compacted. */
        void assertOlderSegmentsGone() throws IOException {
            assertThat(fixture.segmentNumbers()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(headBefore));
        }

        void assertLiveBodiesRead() throws IOException {
            for (Map.Entry<QueueId, byte[]> entry : live.entrySet()) {
                assertThat(fixture.body(entry.getKey())).isEqualTo(entry.getValue());
            }
        }
    }

    private CompactionCase everyTenthToStay() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), new SpoolTuning(64 << 10, 8 << 10, 0.5));
        Map<QueueId, byte[]> live = new LinkedHashMap<>();
        List<QueueId> done = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            byte[] body = SpoolFixture.randomBody(1000, i);
            QueueId id = fixture.commit(body);
            if (i % 10 == 0) {
                live.put(id, body);
            } else {
                done.add(id);
            }
        }
        return new CompactionCase(fixture, live, done, fixture.segmentNumbers().getLast());
    }

    @Test
    void compactionDeletesOldSegmentsAndKeepsLiveMessagesAcrossRestart() throws Exception {
        CompactionCase spooled = everyTenthToStay();
        SpoolFixture fixture = spooled.fixture();
        assertThat(spooled.headBefore()).isGreaterThanOrEqualTo(3);
        QueueId deferred = spooled.live().keySet().iterator().next();
        fixture.queue.recordResults(deferred, Map.of(0, TestOutcomes.deferred("451 later")))
                .get(30, TimeUnit.SECONDS);
        QueuedMessage deferredState = fixture.queue.find(deferred).orElseThrow();
        spooled.deliverDone();

        fixture.quiesce();

        spooled.assertOlderSegmentsGone();
        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactlyElementsOf(spooled.live().keySet());
        spooled.assertLiveBodiesRead();
        fixture.reopen();
        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactlyElementsOf(spooled.live().keySet());
        assertThat(fixture.queue.find(deferred)).contains(deferredState);
        spooled.assertLiveBodiesRead();
        assertThat(fixture.events.corrupt()).isEmpty();
    }

    @Test
    void bodiesStayReadableWhileCompactionMovesThemAndTheirOldSegmentsGo() throws Exception {
        CompactionCase spooled = everyTenthToStay();
        SpoolFixture fixture = spooled.fixture();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CompletableFuture<Void> reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                try {
                    spooled.assertLiveBodiesRead();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                reads.addAndGet(spooled.live().size());
            }
        });

        spooled.deliverDone();
        fixture.quiesce();
        stop.set(true);

        reader.get(30, TimeUnit.SECONDS); // any failed or wrong read fails here
        assertThat(reads.get()).isPositive();
        spooled.assertOlderSegmentsGone();
        // the shared read handles of deleted segments were closed, not leaked
        try (var fds = Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            List<String> deleted = fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(target -> target.startsWith(fixture.layout.segments.toString()) && target.endsWith("(deleted)"))
                    .toList();
            assertThat(deleted).isEmpty();
        }
    }

    @Test
    void aRemovalRecordOutlivesEveryCopyOfItsMessage() throws Exception {
        // without compaction, segment 1 stays alive for its other messages; the segment holding
        // the removal of one of them must not be deleted before it, or that message would return
        SpoolFixture fixture = open(temp.resolve("spool"), TINY_NO_COMPACTION);
        QueueId victim = fixture.commit(SpoolFixture.randomBody(1000, 0));
        for (int i = 0; i < 30; i++) {
            fixture.commit(SpoolFixture.randomBody(1000, 1 + i));
        }
        List<QueueId> fillers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            fillers.add(fixture.commit(SpoolFixture.randomBody(1000, 100 + i)));
        }
        fixture.queue.delete(victim);
        long tombstoneSegment = fixture.segmentNumbers().getLast();
        for (int i = 0; i < 150; i++) {
            fillers.add(fixture.commit(SpoolFixture.randomBody(1000, 200 + i)));
        }
        for (QueueId id : fillers) {
            fixture.queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250"))).get(30, TimeUnit.SECONDS);
        }
        fixture.quiesce();

        List<Long> segments = fixture.segmentNumbers();
        assertThat(segments.getLast()).isGreaterThan(tombstoneSegment + 1);
        // the dead segment after the removal went; the removal's segment waits for segment 1
        assertThat(segments).contains(1L, tombstoneSegment).doesNotContain(tombstoneSegment + 1);
        fixture.reopen();
        assertThat(fixture.queue.find(victim)).isEmpty();
        assertThat(fixture.queue.list()).hasSize(30);
    }

    @Test
    void segmentsShowEnvelopesAsText() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        QueueId id = fixture.commit("Subject: hi\r\n\r\nbody\r\n".getBytes(), "bob@example.org");
        fixture.close();

        String text = new String(Files.readAllBytes(fixture.layout.segment(1)), StandardCharsets.ISO_8859_1);

        assertThat(text).contains("id: " + id + "\n", "sender: alice@example.com\n", "rcpt: bob@example.org\n",
                "stored: inline 21\n", "status: pending\n", "Subject: hi");
    }

    @Test
    void anEnvelopeTooLargeForASegmentFailsAloneAndTheSpoolGoesOn() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), TINY_NO_COMPACTION);
        java.util.List<dev.relay.queue.RecipientAddress> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(dev.relay.queue.RecipientAddress.of("recipient-number-" + i + "@example.org"));
        }
        dev.relay.queue.Envelope huge = new dev.relay.queue.Envelope("a@example.com", many,
                dev.relay.queue.MailParameters.NONE, fixture.clock.instant(), "192.0.2.1", "h", java.util.Optional.empty());

        try (dev.relay.queue.MessageDraft draft = fixture.queue.newDraft()) {
            draft.write("x".getBytes());
            assertThat(draft.commit(huge)).failsWithin(java.time.Duration.ofSeconds(10));
        }

        QueueId ok = fixture.commit("fine".getBytes());
        fixture.reopen();
        assertThat(fixture.queue.list()).extracting(QueuedMessage::id).containsExactly(ok);
    }

    @Test
    void aBlockingCallFromACallbackOnTheWriterThreadFailsInsteadOfHanging() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);
        Thread test = Thread.currentThread();
        // a commit that completes before the callback is attached runs it on this thread instead;
        // on a crowded machine that happens now and then, so try until the writer runs it
        for (int attempt = 0; attempt < 50; attempt++) {
            java.util.concurrent.atomic.AtomicReference<Thread> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CompletableFuture<Boolean> held;
            try (dev.relay.queue.MessageDraft draft = fixture.queue.newDraft()) {
                draft.write("x".getBytes());
                held = draft.commit(fixture.envelope("bob@example.org")).thenApply(id -> {
                    ranOn.set(Thread.currentThread());
                    return fixture.queue.hold(id);
                });
            }
            try {
                held.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                // checked below
            }
            if (ranOn.get() != test) {
                assertThat(held).failsWithin(java.time.Duration.ofSeconds(1))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(IllegalStateException.class);
                return;
            }
        }
        throw new AssertionError("the callback never ran on the writer thread in 50 attempts");
    }

    @Test
    void aSecondProcessCannotOpenTheSameSpool() throws Exception {
        SpoolFixture fixture = open(temp.resolve("spool"), ONE_SEGMENT);

        assertThatThrownBy(() -> SegmentSpoolStore.open(fixture.directory, ONE_SEGMENT, dev.relay.queue.QueueEvents.NONE))
                .isInstanceOf(IOException.class).hasMessageContaining("in use");
    }
}
