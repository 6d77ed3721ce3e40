package dev.relay.dsn;

import static dev.relay.dsn.DsnFixture.withNotify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.queue.DsnNotify;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.RecipientStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsnPolicyTest {
    private static final RecipientStatus.Failed FAILED = new RecipientStatus.Failed(DsnFixture.FAILED_AT,
            TestOutcomes.failed("550 5.1.1 no"));
    private static final RecipientStatus.Deferred DEFERRED =
            new RecipientStatus.Deferred(DsnFixture.NOW, TestOutcomes.deferred("451 4.4.1 later"));

    @Test
    void withoutNotifyFailuresAndDelaysAreReportedButNotSuccesses() {
        RecipientAddress plain = RecipientAddress.of("bob@example.com");
        assertThat(DsnPolicy.wants(plain, DsnKind.FAILURE)).isTrue();
        assertThat(DsnPolicy.wants(plain, DsnKind.DELAY)).isTrue();
        assertThat(DsnPolicy.wants(plain, DsnKind.SUCCESS)).isFalse();
    }

    @Test
    void notifyNeverMeansNothing() {
        RecipientAddress never = withNotify("bob@example.com", DsnNotify.NEVER);
        for (DsnKind kind : DsnKind.values()) {
            assertThat(DsnPolicy.wants(never, kind)).as(kind.label()).isFalse();
        }
    }

    @Test
    void aNotifyListIsTakenLiterally() {
        RecipientAddress failureOnly = withNotify("bob@example.com", DsnNotify.FAILURE);
        assertThat(DsnPolicy.wants(failureOnly, DsnKind.FAILURE)).isTrue();
        assertThat(DsnPolicy.wants(failureOnly, DsnKind.DELAY)).isFalse();

        RecipientAddress delayOnly = withNotify("bob@example.com", DsnNotify.DELAY, DsnNotify.SUCCESS);
        assertThat(DsnPolicy.wants(delayOnly, DsnKind.FAILURE)).isFalse();
        assertThat(DsnPolicy.wants(delayOnly, DsnKind.DELAY)).isTrue();
        assertThat(DsnPolicy.wants(delayOnly, DsnKind.SUCCESS)).isTrue();
    }

    @Test
    void selectKeepsRecipientsInTheKindsStateThatAskedForIt() {
        QueuedMessage message = DsnFixture.message()
                .recipient(RecipientAddress.of("a@example.com"), FAILED)
                .recipient(withNotify("b@example.com", DsnNotify.NEVER), FAILED)
                .recipient(RecipientAddress.of("c@example.com"), DEFERRED)
                .recipient(withNotify("d@example.com", DsnNotify.SUCCESS, DsnNotify.FAILURE), FAILED)
                .build();

        assertThat(DsnPolicy.select(message, DsnKind.FAILURE, List.of(3, 2, 1, 0, 3))).containsExactly(0, 3);
        assertThat(DsnPolicy.select(message, DsnKind.DELAY, List.of(0, 1, 2, 3))).containsExactly(2);
    }

    @Test
    void theNullSenderGetsNothing() {
        QueuedMessage bounce = DsnFixture.message().sender("").failed("a@example.com", "550 5.1.1 no").build();
        assertThat(DsnPolicy.select(bounce, DsnKind.FAILURE, List.of(0))).isEmpty();
    }

    @Test
    void anIndexOutsideTheEnvelopeIsABug() {
        QueuedMessage message = DsnFixture.message().failed("a@example.com", "550 5.1.1 no").build();
        assertThatThrownBy(() -> DsnPolicy.select(message, DsnKind.FAILURE, List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no recipient 1");
    }
}
