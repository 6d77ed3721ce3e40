package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.QueueCursor;
import dev.relay.queue.QueueId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueueIndexTest {

    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    private record Message(QueueId id, Instant arrival) {}

    private static final Comparator<Message> LISTING =
            Comparator.comparing(Message::arrival).thenComparing(Message::id);

    private static List<QueueId> ids(QueueIndex index, int[] slots) {
        return Arrays.stream(slots).mapToObj(index::id).toList();
    }

    @Test
    void pagesFollowArrivalThenIdThroughOutOfOrderArrivalsAndRemovals() {
        Random random = new Random(3);
        QueueIndex index = new QueueIndex();
        List<Message> live = new ArrayList<>();
        for (int n = 0; n < 5_000; n++) {
            // mostly in order, sometimes late, often several in the same millisecond
            Instant arrival = T0.plusMillis(n / 3 - (random.nextInt(10) == 0 ? random.nextInt(500) : 0));
            Message message = new Message(new QueueId(String.format("M%08dx%s", random.nextInt(100_000_000), n)), arrival);
            index.add(message.id(), arrival, 10, MessageState.initial(1));
            live.add(message);
            if (random.nextInt(4) == 0) {
                Message gone = live.remove(random.nextInt(live.size()));
                index.remove(index.slot(gone.id()));
            }
        }
        live.sort(LISTING);
        List<QueueId> expected = live.stream().map(Message::id).toList();
        assertThat(ids(index, index.all())).isEqualTo(expected);

        List<QueueId> paged = new ArrayList<>();
        Optional<QueueCursor> after = Optional.empty();
        while (true) {
            int[] page = index.page(after, 97);
            if (page.length == 0) {
                break;
            }
            paged.addAll(ids(index, page));
            int last = page[page.length - 1];
            after = Optional.of(new QueueCursor(index.arrival(last), index.id(last)));
        }
        assertThat(paged).isEqualTo(expected);
        assertThat(index.snapshot(T0).oldestArrival()).contains(live.get(0).arrival());
    }

    @Test
    void loadingUnorderedThenSortingGivesTheSameOrderAsAddingInPlace() {
        QueueIndex index = new QueueIndex();
        index.addUnordered(new QueueId("CCCCCC"), T0.plusSeconds(2), 1, MessageState.initial(1));
        index.addUnordered(new QueueId("AAAAAA"), T0.plusSeconds(1), 1, MessageState.initial(1));
        index.addUnordered(new QueueId("BBBBBB"), T0.plusSeconds(1), 1, MessageState.initial(1));
        index.sortOrder();
        index.add(new QueueId("DDDDDD"), T0, 1, MessageState.initial(1));
        assertThat(ids(index, index.all())).extracting(QueueId::value)
                .containsExactly("DDDDDD", "AAAAAA", "BBBBBB", "CCCCCC");
    }

    @Test
    void takesTheEarliestDueFirstAndNothingHeldOrNotYetDue() {
        QueueIndex index = new QueueIndex();
        int late = index.add(new QueueId("LATE00"), T0.plusSeconds(60), 1, MessageState.initial(1));
        int second = index.add(new QueueId("BBBBBB"), T0.plusSeconds(1), 1, MessageState.initial(2));
        int first = index.add(new QueueId("AAAAAA"), T0.plusSeconds(1), 1, MessageState.initial(1));
        int held = index.add(new QueueId("HELD00"), T0, 1, MessageState.initial(1));
        index.change(held, MessageState.initial(1).withHeld(true), false);

        assertThat(index.nextDue()).contains(T0.plusSeconds(1));
        assertThat(index.take(T0.plusSeconds(5), 10)).containsExactly(first, second);
        assertThat(index.take(T0.plusSeconds(5), 10)).isEmpty();
        assertThat(index.leased(first)).isTrue();
        index.change(first, index.state(first), false);
        assertThat(index.take(T0.plusSeconds(100), 1)).containsExactly(first);
        assertThat(index.take(T0.plusSeconds(100), 5)).containsExactly(late);
        assertThat(index.nextDue()).isEmpty();
        assertThat(index.snapshot(T0.plusSeconds(100)).held()).isEqualTo(1);
    }
}
