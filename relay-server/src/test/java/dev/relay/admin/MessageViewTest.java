package dev.relay.admin;

import dev.relay.outcome.TestOutcomes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageViewTest {

    private static final Instant ARRIVAL = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant NOW = ARRIVAL.plus(Duration.ofMinutes(7)).plusSeconds(5);

    private static QueuedMessage message(boolean held, RecipientStatus... statuses) {
        List<RecipientAddress> recipients = java.util.stream.IntStream.range(0, statuses.length)
                .mapToObj(i -> RecipientAddress.of("r" + i + "@dest.test")).toList();
        Envelope envelope = new Envelope("alice@origin.test", recipients, MailParameters.NONE, ARRIVAL, "127.0.0.1",
                "client.test", Optional.empty());
        return new QueuedMessage(new QueueId("ABCDEF123"), envelope, List.of(statuses), 2048, 3, held);
    }

    @Test
    void eachRecipientShowsItsStateReasonAndTimes() {
        Instant later = NOW.plus(Duration.ofMinutes(5));
        MessageView view = MessageView.of(message(false,
                new RecipientStatus.Pending(),
                new RecipientStatus.Deferred(later, TestOutcomes.deferred("451 4.7.0 try later")),
                new RecipientStatus.Delivered(NOW.minusSeconds(30), TestOutcomes.delivered("250 2.0.0 ok")),
                new RecipientStatus.Failed(NOW.minusSeconds(20), TestOutcomes.failed("550 5.1.1 no such user"))), NOW);

        assertThat(view.id()).isEqualTo("ABCDEF123");
        assertThat(view.ageSeconds()).isEqualTo(425);
        assertThat(view.sender()).isEqualTo("alice@origin.test");
        assertThat(view.size()).isEqualTo(2048);
        assertThat(view.attempts()).isEqualTo(3);
        assertThat(view.state()).as("a pending recipient is due now").isEqualTo(MessageView.State.ACTIVE);
        assertThat(view.nextAttempt()).contains(NOW);
        assertThat(view.recipients()).extracting(MessageView.RecipientView::state).containsExactly(
                MessageView.RecipientState.PENDING, MessageView.RecipientState.DEFERRED,
                MessageView.RecipientState.DELIVERED, MessageView.RecipientState.FAILED);
        assertThat(view.recipients().get(0).lastReason()).isEmpty();
        assertThat(view.recipients().get(1).lastReason()).contains("451 4.7.0 try later");
        assertThat(view.recipients().get(1).nextAttempt()).contains(later);
        assertThat(view.recipients().get(2).finishedAt()).contains(NOW.minusSeconds(30));
        assertThat(view.recipients().get(3).lastReason()).contains("550 5.1.1 no such user");
        // the typed cause, as the attempt log and the metrics name it, never read from the text
        assertThat(view.recipients()).extracting(MessageView.RecipientView::cause).containsExactly(
                Optional.empty(), Optional.of("local-error"), Optional.empty(), Optional.of("local-error"));
    }

    @Test
    void onlyFutureDeferralsMakeAMessageDeferred() {
        Instant later = NOW.plus(Duration.ofMinutes(5));
        MessageView deferred = MessageView.of(message(false,
                new RecipientStatus.Deferred(later.plusSeconds(60), TestOutcomes.deferred("451 later")),
                new RecipientStatus.Deferred(later, TestOutcomes.deferred("451 sooner")),
                new RecipientStatus.Delivered(NOW, TestOutcomes.delivered("250 ok"))), NOW);
        assertThat(deferred.state()).isEqualTo(MessageView.State.DEFERRED);
        assertThat(deferred.nextAttempt()).as("the earliest open recipient").contains(later);

        MessageView due = MessageView.of(message(false, new RecipientStatus.Deferred(NOW, TestOutcomes.deferred("451"))), NOW);
        assertThat(due.state()).isEqualTo(MessageView.State.ACTIVE);
    }

    @Test
    void aHeldMessageShowsItsOpenRecipientsAsHeldButKeepsTheReason() {
        MessageView view = MessageView.of(message(true,
                new RecipientStatus.Deferred(NOW.plusSeconds(60), TestOutcomes.deferred("451 4.4.1 timeout")),
                new RecipientStatus.Delivered(NOW, TestOutcomes.delivered("250 ok"))), NOW);
        assertThat(view.state()).isEqualTo(MessageView.State.HELD);
        assertThat(view.nextAttempt()).isEmpty();
        assertThat(view.recipients().get(0).state()).isEqualTo(MessageView.RecipientState.HELD);
        assertThat(view.recipients().get(0).lastReason()).contains("451 4.4.1 timeout");
        assertThat(view.recipients().get(0).nextAttempt()).isEmpty();
        assertThat(view.recipients().get(1).state()).isEqualTo(MessageView.RecipientState.DELIVERED);
    }

    @Test
    void jsonUsesSnakeCaseIsoTimesLowerCaseStatesAndLeavesOutAbsentValues() throws Exception {
        MessageView view = MessageView.of(message(false,
                new RecipientStatus.Deferred(NOW.plusSeconds(60), TestOutcomes.deferred("451 later")), new RecipientStatus.Pending()), NOW);
        String json = AdminJson.mapper().writeValueAsString(view);
        JsonNode tree = AdminJson.mapper().readTree(json);

        assertThat(tree.get("age_seconds").asLong()).isEqualTo(425);
        assertThat(tree.get("arrival").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(tree.get("state").asText()).isEqualTo("active");
        assertThat(tree.get("recipients").get(0).get("state").asText()).isEqualTo("deferred");
        assertThat(tree.get("recipients").get(0).get("last_reason").asText()).isEqualTo("451 later");
        assertThat(tree.get("recipients").get(0).get("next_attempt").asText()).isEqualTo("2026-03-01T10:08:05Z");
        assertThat(tree.get("recipients").get(1).has("last_reason")).as("absent, not null").isFalse();
        assertThat(AdminJson.mapper().readValue(json, MessageView.class)).isEqualTo(view);
    }
}
