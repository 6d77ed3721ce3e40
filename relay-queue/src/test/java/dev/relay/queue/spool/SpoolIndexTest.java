package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.QueueId;
import org.junit.jupiter.api.Test;

/** The spool index's record of older copies left behind by compaction: kept while they pin, not after. */
class SpoolIndexTest {

    @Test
    void olderCopiesPinTombstonesWhileTheirSegmentIsThereAndAreForgottenWithIt() {
        SpoolIndex index = new SpoolIndex();
        index.addSegment(1, true, 1 << 20);
        index.addSegment(2, true, 1 << 20);
        index.addSegment(3, false, 1 << 20);
        QueueId kept = new QueueId("1M9KEPT000001");
        QueueId removed = new QueueId("1M9GONE000001");
        index.message(kept, new RecordPos(1, 100, 50), false, 10);
        index.message(removed, new RecordPos(1, 200, 50), false, 10);
        // compaction copies both into segment 2; segment 1 still holds the old copies
        index.message(kept, new RecordPos(2, 100, 50), false, 10);
        index.message(removed, new RecordPos(2, 200, 50), false, 10);
        assertThat(index.withOlderCopies()).isEqualTo(2);

        // a removal while segment 1 is there: its tombstone (in 3) waits for 1 to go
        index.remove(removed, new RecordPos(3, 100, 30));
        index.seal(3);
        assertThat(index.deletable()).containsExactly(1L);

        index.segmentRemoved(1);
        assertThat(index.withOlderCopies()).isZero();
        assertThat(index.slot(kept).message.segment()).isEqualTo(2);
        // the tombstone still waits for segment 2, which holds the removed message's newest copy
        assertThat(index.deletable()).isEmpty();
        index.segmentRemoved(2);
        assertThat(index.deletable()).containsExactly(3L);
    }

    @Test
    void aSegmentIsSparseForItsOwnSizeNotTheConfiguredOne() {
        long mb = 1 << 20;
        SpoolIndex index = new SpoolIndex();
        // made on a tight disk: 11 MB, all of it live messages
        index.addSegment(1, true, 11 * mb);
        // full size, 64 MB, with as much live data: a sixth of it
        index.addSegment(2, true, 64 * mb);
        index.addSegment(3, false, 64 * mb);
        for (int i = 0; i < 11; i++) {
            index.message(new QueueId("1M9TIGHT0000" + (char) ('A' + i)), new RecordPos(1, i * mb, (int) mb), false, mb);
            index.message(new QueueId("1M9ROOMY0000" + (char) ('A' + i)), new RecordPos(2, i * mb, (int) mb), false, mb);
        }

        // a quarter of each: 2.75 MB of the tight one (it is full), 16 MB of the full-size one
        assertThat(index.compactionCandidate(0.25)).hasValue(2L);
    }
}
