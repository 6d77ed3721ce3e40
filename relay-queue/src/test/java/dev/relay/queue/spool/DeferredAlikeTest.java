package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages deferred alike share one state less their next attempt, which the index keeps as its
 * due time; every state comes back out of the index exactly as it went in.
 */
class DeferredAlikeTest {

    private static final Instant T0 = Instant.parse("2026-12-07T05:00:00.123456789Z");
    private static final Outcome.Deferred DOWN = TestOutcomes.deferred("451 4.4.1 mx.example.org is down");
    private static final Outcome.Deferred BUSY = TestOutcomes.deferred("421 4.3.0 busy, try later");

    private static MessageState deferred(int attempts, Instant... nextAttempts) {
        List<RecipientStatus> statuses = java.util.Arrays.stream(nextAttempts)
                .<RecipientStatus>map(next -> new RecipientStatus.Deferred(next, DOWN)).toList();
        return new MessageState(statuses, attempts, false, false);
    }

    @Test
    void twoMessagesDeferredAlikeShareOneShapeThatGivesEachItsOwnNextAttempt() {
        MessageState one = deferred(3, T0.plusSeconds(60), T0.plusSeconds(60));
        MessageState two = deferred(3, T0.plusSeconds(90), T0.plusSeconds(90));

        DeferredAlike a = DeferredAlike.of(one).orElseThrow();
        DeferredAlike b = DeferredAlike.of(two).orElseThrow();

        assertThat(b).isSameAs(a);
        assertThat(a.at(T0.plusSeconds(60))).isEqualTo(one);
        assertThat(b.at(T0.plusSeconds(90))).isEqualTo(two);
    }

    @Test
    void attemptsFlagsAndDeferralTellShapesApart() {
        DeferredAlike base = DeferredAlike.of(deferred(3, T0)).orElseThrow();

        assertThat(DeferredAlike.of(deferred(4, T0)).orElseThrow()).isNotSameAs(base);
        assertThat(DeferredAlike.of(deferred(3, T0).withHeld(true)).orElseThrow()).isNotSameAs(base);
        assertThat(DeferredAlike.of(deferred(3, T0).withDelayWarned()).orElseThrow()).isNotSameAs(base);
        MessageState busy = new MessageState(List.of(new RecipientStatus.Deferred(T0, BUSY)), 3, false, false);
        assertThat(DeferredAlike.of(busy).orElseThrow()).isNotSameAs(base);
        assertThat(DeferredAlike.of(deferred(3, T0).withHeld(true)).orElseThrow().held()).isTrue();
    }

    @Test
    void statesThatAreNotAllDeferredToOneTimeHaveNoShape() {
        Outcome.Delivered accepted = TestOutcomes.delivered("250 2.0.0 ok");
        MessageState mixed = new MessageState(List.of(new RecipientStatus.Deferred(T0, DOWN),
                new RecipientStatus.Delivered(T0, accepted)), 1, false, false);

        assertThat(DeferredAlike.of(deferred(1, T0, T0.plusSeconds(1)))).isEmpty();
        assertThat(DeferredAlike.of(mixed)).isEmpty();
        assertThat(DeferredAlike.of(MessageState.initial(2))).isEmpty();
        // beyond what the index keeps to the nanosecond: held whole instead
        assertThat(DeferredAlike.of(deferred(1, Instant.parse("2300-01-01T00:00:00Z")))).isEmpty();
    }

    @Test
    void theIndexGivesBackEveryStateAsItWasPutThroughLeasesHoldsAndRelease() {
        QueueIndex index = new QueueIndex();
        MessageState one = deferred(2, T0.plusSeconds(300));
        MessageState two = deferred(2, T0.plusSeconds(200), T0.plusSeconds(200));
        MessageState split = deferred(2, T0.plusSeconds(100), T0.plusSeconds(400));
        MessageState farOff = deferred(2, Instant.parse("2300-01-01T00:00:00Z"));
        int first = index.add(new QueueId("AAAAAA"), T0, 1, one);
        int second = index.add(new QueueId("BBBBBB"), T0, 1, two);
        int third = index.add(new QueueId("CCCCCC"), T0, 1, split);
        int fourth = index.add(new QueueId("DDDDDD"), T0, 1, farOff);

        assertThat(index.state(first)).isEqualTo(one);
        assertThat(index.state(second)).isEqualTo(two);
        assertThat(index.state(third)).isEqualTo(split);
        assertThat(index.state(fourth)).isEqualTo(farOff);
        // scheduled by the kept next attempt: the split one by its earlier recipient
        assertThat(index.nextDue()).contains(T0.plusSeconds(100));
        assertThat(index.take(T0.plusSeconds(250), 10)).containsExactly(third, second);

        // handed out and given back, held and released: the state stays and so does the due time
        index.change(second, index.state(second), false);
        index.change(first, one.withHeld(true), false);
        assertThat(index.state(first)).isEqualTo(one.withHeld(true));
        assertThat(index.take(T0.plusSeconds(1_000), 10)).containsExactly(second);
        index.change(first, index.state(first).withHeld(false), false);
        assertThat(index.state(first)).isEqualTo(one);
        assertThat(index.nextDue()).contains(T0.plusSeconds(300));
        assertThat(index.take(T0.plusSeconds(1_000), 10)).containsExactly(first);
        assertThat(index.snapshot(T0).held()).isZero();
    }
}
