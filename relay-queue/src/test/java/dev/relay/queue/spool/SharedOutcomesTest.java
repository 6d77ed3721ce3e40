package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientStatus;
import dev.relay.queue.RetrySchedule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deferred messages share one copy of an equal deferral, as the queue decides it and as recovery reads it. */
class SharedOutcomesTest {

    private static final Instant ARRIVAL = Instant.parse("2026-12-07T05:00:00Z");

    @Test
    void equalDeferralsOfTwoMessagesAreOneObjectAndUnequalOnesAreNot() {
        RetryDecision decision = new RetryDecision(RetrySchedule.DEFAULT);
        // two messages, each with its own (equal) outcome object, as delivery hands them over
        RecipientStatus first = decision.statusAfter(TestOutcomes.deferred("451 4.4.1 mx.example.org is down"),
                ARRIVAL, 1, ARRIVAL.plusSeconds(1));
        RecipientStatus second = decision.statusAfter(TestOutcomes.deferred("451 4.4.1 mx.example.org is down"),
                ARRIVAL, 1, ARRIVAL.plusSeconds(2));
        RecipientStatus other = decision.statusAfter(TestOutcomes.deferred("451 4.4.1 mx.example.net is down"),
                ARRIVAL, 1, ARRIVAL.plusSeconds(3));

        Outcome.Deferred a = ((RecipientStatus.Deferred) first).outcome();
        Outcome.Deferred b = ((RecipientStatus.Deferred) second).outcome();
        assertThat(b).isSameAs(a);
        assertThat(((RecipientStatus.Deferred) other).outcome()).isNotSameAs(a).isNotEqualTo(a);
        // each keeps its own next attempt
        assertThat(((RecipientStatus.Deferred) first).nextAttempt())
                .isNotEqualTo(((RecipientStatus.Deferred) second).nextAttempt());
    }

    @Test
    void deferralsReadBackFromStateRecordsAreSharedToo() throws Exception {
        Outcome.Deferred written = TestOutcomes.deferred("421 4.3.0 busy, try later");
        MessageState state = new MessageState(
                List.of(new RecipientStatus.Deferred(ARRIVAL.plusSeconds(300), written)), 1, false, false);
        byte[] one = RecordText.state(new QueueId("1M9AAAAAAAAAAAAAAAA1"), state);
        byte[] two = RecordText.state(new QueueId("1M9AAAAAAAAAAAAAAAA2"), state);

        MessageState readOne = RecordText.parseState(one, 0, one.length).state();
        MessageState readTwo = RecordText.parseState(two, 0, two.length).state();

        Outcome.Deferred a = ((RecipientStatus.Deferred) readOne.statuses().get(0)).outcome();
        Outcome.Deferred b = ((RecipientStatus.Deferred) readTwo.statuses().get(0)).outcome();
        assertThat(a).isEqualTo(written);
        assertThat(b).isSameAs(a);
    }
}
