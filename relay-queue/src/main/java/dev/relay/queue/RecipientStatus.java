package dev.relay.queue;

import java.time.Instant;
import java.util.Objects;

/** Where one recipient of a queued message stands. */
public sealed interface RecipientStatus {

    /** True once nothing more will be attempted for this recipient. */
    default boolean isFinal() {
        return this instanceof Delivered || this instanceof Failed;
    }

    /** Not yet attempted. */
    record Pending() implements RecipientStatus {}

    /** Accepted by the next hop. */
    record Delivered(Instant at, String remoteReply) implements RecipientStatus {
        public Delivered {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(remoteReply, "remoteReply");
        }
    }

    /** Failed temporarily; tried again at {@code nextAttempt}. */
    record Deferred(String reason, Instant nextAttempt) implements RecipientStatus {
        public Deferred {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(nextAttempt, "nextAttempt");
        }
    }

    /** Failed permanently (or expired); a DSN is due unless the sender is null. */
    record Failed(String reason, Instant at) implements RecipientStatus {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }
}
