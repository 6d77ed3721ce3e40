package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.QueueId;
import org.junit.jupiter.api.Test;

/** The spool index's record of older copies left behind by compaction: kept while they pin, not after. */
class SpoolIndexTest {

    @Test
    void olderCopiesPinTombstonesWhileTheirSegmentIsThereAndAreForgottenWithIt() {
        SpoolIndex index = new SpoolIndex();
        index.addSegment(1, true);
        index.addSegment(2, true);
        index.addSegment(3, false);
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
}
