package dev.relay.dsn;

import dev.relay.queue.QueueId;
import java.util.List;
import java.util.Objects;

/** What became of a request to send a DSN. */
public sealed interface DsnOutcome {

    /** The message the DSN is about. */
    QueueId original();

    DsnKind kind();

    /** The DSN is durable in the queue as message {@code id}, from {@code <>} to {@code to}. */
    record Queued(QueueId id, QueueId original, DsnKind kind, List<Integer> recipients, String to)
            implements DsnOutcome {
        public Queued {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(kind, "kind");
            recipients = List.copyOf(recipients);
            Objects.requireNonNull(to, "to");
        }
    }

    /** No DSN, on purpose. */
    record Suppressed(QueueId original, DsnKind kind, Why why) implements DsnOutcome {
        public Suppressed {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(why, "why");
        }
    }

    enum Why {
        /** The original came from {@code <>}: a bounce that bounces is logged and dropped. */
        NULL_SENDER,
        /** None of the recipients asked for this kind (NOTIFY), or none is in its state. */
        NOT_REQUESTED
    }
}
