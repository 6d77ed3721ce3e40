package dev.relay.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The JSON bodies of the queue API besides {@link MessageView}; the command line reads the same types. */
public final class QueueReplies {

    private QueueReplies() {}

    /**
     * {@code GET /api/queue}: queued messages, oldest first, as seen at {@code now}: all of them,
     * or one page ({@code ?limit=N&after=CURSOR}). {@code next} is the cursor the following page
     * starts after, present when more messages follow this page. {@code recovering} is present
     * while the messages found in the spool at start are still read (they are not listed yet).
     */
    public record Listing(Instant now, List<MessageView> messages, Optional<String> next, Optional<String> recovering) {
        public Listing {
            Objects.requireNonNull(now, "now");
            messages = List.copyOf(messages);
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(recovering, "recovering");
        }

        /** A page of a queue that holds everything it found at start. */
        public Listing(Instant now, List<MessageView> messages, Optional<String> next) {
            this(now, messages, next, Optional.empty());
        }

        /** A whole listing: nothing follows. */
        public Listing(Instant now, List<MessageView> messages) {
            this(now, messages, Optional.empty());
        }
    }

    /** {@code POST /api/queue/retry-all}: how many messages were made due, and how many were left on hold. */
    public record RetriedAll(int retried, int held) {}

    /** {@code DELETE /api/queue/{id}}: the message is gone, without a DSN. */
    public record Deleted(String id) {
        public Deleted {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Any refusal (unknown id, malformed id, queue closed): one sentence for a person. */
    public record Refusal(String error) {
        public Refusal {
            Objects.requireNonNull(error, "error");
        }
    }
}
