package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.admin.MessageView;
import dev.relay.admin.QueueReplies;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueueTextTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:07:05Z");

    private static MessageView deferredMessage(String reason) {
        return new MessageView("ABCDEF123", Instant.parse("2026-03-01T10:00:00Z"), 425, "alice@origin.test", 1300,
                MessageView.State.DEFERRED, 2, Optional.of(NOW.plusSeconds(108)), List.of(
                        new MessageView.RecipientView("bob@dest.test", MessageView.RecipientState.DEFERRED,
                                Optional.of(reason), Optional.of(NOW.plusSeconds(108)), Optional.empty(),
                                Optional.of("remote-reply")),
                        new MessageView.RecipientView("carol@dest.test", MessageView.RecipientState.DELIVERED,
                                Optional.of("250 2.0.0 ok"), Optional.empty(), Optional.of(NOW.minusSeconds(60)),
                                Optional.empty())));
    }

    @Test
    void tableHasAMessageLineThenEachRecipientWithStateNextAttemptAndReason() {
        String table = QueueText.table(new QueueReplies.Listing(NOW, List.of(deferredMessage("451 4.7.0 try later"))));
        assertThat(table.lines().toList()).containsExactly(
                "ID              AGE      SIZE  STATE     SENDER",
                "ABCDEF123     7m05s    1.3 KB  deferred  alice@origin.test",
                "    bob@dest.test  deferred, next attempt 2026-03-01T10:08:53Z (in 1m48s)",
                "        (451 4.7.0 try later)",
                "    carol@dest.test  delivered",
                "        (250 2.0.0 ok)",
                "-- 1 message, 1.3 KB");
    }

    @Test
    void emptyQueueSaysSo() {
        assertThat(QueueText.table(new QueueReplies.Listing(NOW, List.of()))).isEqualTo("Mail queue is empty\n");
    }

    @Test
    void remoteTextCannotDriveTheTerminal() {
        String table = QueueText.table(new QueueReplies.Listing(NOW,
                List.of(deferredMessage("451 \u001b[2J\u001b]0;pwned\u0007 hidden\u202e reversed"))));
        assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e")
                .contains("(451 ?[2J?]0;pwned? hidden? reversed)");
    }

    @Test
    void detailShowsEveryField() {
        String detail = QueueText.detail(deferredMessage("451 4.7.0 try later"));
        assertThat(detail).contains("id:           ABCDEF123", "state:        deferred",
                "arrival:      2026-03-01T10:00:00Z (7m05s ago)", "sender:       alice@origin.test",
                "size:         1.3 KB (1300 bytes)", "attempts:     2",
                "next attempt: 2026-03-01T10:08:53Z (in 1m48s)",
                "  bob@dest.test  deferred", "    last reason: 451 4.7.0 try later", "    cause: remote-reply",
                "  carol@dest.test  delivered", "    at: 2026-03-01T10:06:05Z");
    }

    @Test
    void agesAndSizesAreCompact() {
        assertThat(QueueText.age(42)).isEqualTo("42s");
        assertThat(QueueText.age(3 * 3600 + 5 * 60 + 9)).isEqualTo("3h05m");
        assertThat(QueueText.age(4 * 86_400 + 3 * 3600)).isEqualTo("4d03h");
        assertThat(QueueText.size(812)).isEqualTo("812 B");
        assertThat(QueueText.size(3L * 1024 * 1024)).isEqualTo("3.0 MB");
        assertThat(QueueText.when(NOW.minusSeconds(1), NOW)).isEqualTo("now");
    }

    @Test
    void nullSenderIsShownAsAngleBrackets() {
        MessageView bounce = new MessageView("BOUNCE123", NOW, 0, "", 10, MessageView.State.ACTIVE, 0,
                Optional.of(NOW), List.of(new MessageView.RecipientView("alice@origin.test",
                        MessageView.RecipientState.PENDING, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty())));
        assertThat(QueueText.table(new QueueReplies.Listing(NOW, List.of(bounce)))).contains("active    <>");
    }
}
