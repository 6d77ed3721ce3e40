package dev.relay.queue;

import java.util.Objects;

/**
 * What one delivery attempt said about one recipient. The queue turns it into a
 * {@link RecipientStatus}: a temporary failure becomes Deferred on the retry schedule,
 * or Failed once the message outlived the maximum lifetime.
 */
public sealed interface DeliveryResult {
    String reply();

    record Delivered(String reply) implements DeliveryResult {
        public Delivered {
            Objects.requireNonNull(reply, "reply");
        }
    }

    record TemporaryFailure(String reply) implements DeliveryResult {
        public TemporaryFailure {
            Objects.requireNonNull(reply, "reply");
        }
    }

    record PermanentFailure(String reply) implements DeliveryResult {
        public PermanentFailure {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
