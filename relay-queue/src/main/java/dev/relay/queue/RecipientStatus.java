package dev.relay.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one recipient of a queued message stands. The reasons are kept as text (a remote
 * reply, or the relay's own wording); {@link #remoteMta()} says whose words they are, as
 * {@link DeliveryResult#remoteMta()} did.
 */
public sealed interface RecipientStatus {

    /** True once nothing more will be attempted for this recipient. */
    default boolean isFinal() {
        return this instanceof Delivered || this instanceof Failed;
    }

    /** The MX host whose reply the reason is; empty when the relay decided, or nothing was tried. */
    default Optional<String> remoteMta() {
        return Optional.empty();
    }

    /** Not yet attempted. */
    record Pending() implements RecipientStatus {}

    /** Accepted by the next hop. */
    record Delivered(Instant at, String remoteReply, Optional<String> remoteMta) implements RecipientStatus {
        public Delivered {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(remoteReply, "remoteReply");
            Objects.requireNonNull(remoteMta, "remoteMta");
        }

        public Delivered(Instant at, String remoteReply) {
            this(at, remoteReply, Optional.empty());
        }
    }

    /** Failed temporarily; tried again at {@code nextAttempt}. */
    record Deferred(String reason, Instant nextAttempt, Optional<String> remoteMta) implements RecipientStatus {
        public Deferred {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(nextAttempt, "nextAttempt");
            Objects.requireNonNull(remoteMta, "remoteMta");
        }

        public Deferred(String reason, Instant nextAttempt) {
            this(reason, nextAttempt, Optional.empty());
        }
    }

    /** Failed permanently (or expired); a DSN is due unless the sender is null. */
    record Failed(String reason, Instant at, Optional<String> remoteMta) implements RecipientStatus {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(remoteMta, "remoteMta");
        }

        public Failed(String reason, Instant at) {
            this(reason, at, Optional.empty());
        }
    }
}
