package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.QueueId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdTableTest {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static QueueId randomId(Random random) {
        int length = 6 + random.nextInt(27);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return new QueueId(text.toString());
    }

    @Test
    void everyIdComesBackAsItWentInAndSlotsCompareAsTheTextDoes() {
        Random random = new Random(14);
        IdTable table = new IdTable();
        List<QueueId> ids = new ArrayList<>();
        ids.add(new QueueId("000000"));
        ids.add(new QueueId("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"));
        ids.add(new QueueId("ABCDEF"));
        ids.add(new QueueId("ABCDEFG"));
        for (int i = 0; i < 2_000; i++) {
            ids.add(randomId(random));
        }
        List<Integer> slots = new ArrayList<>();
        for (QueueId id : ids) {
            slots.add(table.acquire(id));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(table.id(slots.get(i))).isEqualTo(ids.get(i));
            assertThat(table.find(ids.get(i))).isEqualTo(slots.get(i));
        }
        for (int i = 0; i < 5_000; i++) {
            int a = random.nextInt(ids.size());
            int b = random.nextInt(ids.size());
            int expected = Integer.signum(ids.get(a).compareTo(ids.get(b)));
            assertThat(Integer.signum(table.compare(slots.get(a), slots.get(b)))).as("%s vs %s", ids.get(a), ids.get(b))
                    .isEqualTo(expected);
            assertThat(Integer.signum(table.compare(slots.get(a), ids.get(b)))).isEqualTo(expected);
        }
    }

    @Test
    void lookupsStayRightThroughManyAddsAndRemovals() {
        Random random = new Random(7);
        IdTable table = new IdTable();
        Map<QueueId, Integer> expected = new HashMap<>();
        List<QueueId> live = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int step = 0; step < 50_000; step++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                QueueId id = randomId(random);
                if (!expected.containsKey(id)) {
                    int slot = table.acquire(id);
                    assertThat(used.add(slot)).as("slot %d handed out twice", slot).isTrue();
                    expected.put(id, slot);
                    live.add(id);
                }
            } else {
                QueueId id = live.remove(random.nextInt(live.size()));
                int slot = expected.remove(id);
                table.release(slot);
                used.remove(slot);
                assertThat(table.find(id)).isEqualTo(-1);
            }
        }
        assertThat(table.size()).isEqualTo(expected.size());
        expected.forEach((id, slot) -> assertThat(table.find(id)).isEqualTo(slot));
        assertThat(table.find(new QueueId("nothere000"))).isEqualTo(-1);
    }

    @Test
    void aSlotTwoOwnersHoldStaysUntilBothLetItGo() {
        IdTable table = new IdTable();
        QueueId id = new QueueId("1M9SHARED0001");
        int spool = table.acquire(id);
        int queue = table.acquire(id);
        assertThat(queue).isEqualTo(spool);
        assertThat(table.size()).isEqualTo(1);

        table.release(queue);
        assertThat(table.find(id)).isEqualTo(spool);
        assertThat(table.id(spool)).isEqualTo(id);

        table.release(spool);
        assertThat(table.find(id)).isEqualTo(-1);
        assertThat(table.size()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.release(spool))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theQueueAndTheSpoolIndexShareOneSlotPerMessage() {
        IdTable table = new IdTable();
        SpoolIndex spool = new SpoolIndex(table);
        QueueIndex queue = new QueueIndex(table);
        spool.addSegment(1, false, 1 << 20);
        QueueId id = new QueueId("1M9SHARED0002");
        spool.message(id, new RecordPos(1, 100, 50), false, 10);
        int slot = queue.add(id, java.time.Instant.EPOCH, 10, MessageState.initial(1));

        assertThat(table.size()).isEqualTo(1);
        assertThat(table.find(id)).isEqualTo(slot);
        queue.remove(slot);
        assertThat(queue.slot(id)).isEqualTo(-1);
        assertThat(spool.slot(id)).isNotNull();
        spool.remove(id, new RecordPos(1, 200, 20));
        assertThat(spool.slot(id)).isNull();
        assertThat(table.size()).isZero();
    }
}
