package dev.relay.queue;

import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery attempt said about one recipient. The queue turns it into a
 * {@link RecipientStatus}: a temporary failure becomes Deferred on the retry schedule,
 * or Failed once the message outlived the maximum lifetime.
 *
 * <p>{@link #remoteMta()} tells a remote server's verdict from the relay's own: it names the MX
 * host whose reply {@link #reply()} is, and is empty when the relay decided by itself (DNS, a
 * check before sending such as a size limit, a failed connection). A DSN reports the host as
 * its Remote-MTA only then, so a local decision is never blamed on the recipient's server.
 */
public sealed interface DeliveryResult {
    String reply();

    /** The MX host that gave {@link #reply()}; empty for the relay's own verdicts. */
    Optional<String> remoteMta();

    record Delivered(String reply, Optional<String> remoteMta) implements DeliveryResult {
        public Delivered {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(remoteMta, "remoteMta");
        }

        /** A verdict without a known remote host. */
        public Delivered(String reply) {
            this(reply, Optional.empty());
        }
    }

    record TemporaryFailure(String reply, Optional<String> remoteMta) implements DeliveryResult {
        public TemporaryFailure {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(remoteMta, "remoteMta");
        }

        /** The relay's own temporary failure (DNS, connection, local error). */
        public TemporaryFailure(String reply) {
            this(reply, Optional.empty());
        }
    }

    record PermanentFailure(String reply, Optional<String> remoteMta) implements DeliveryResult {
        public PermanentFailure {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(remoteMta, "remoteMta");
        }

        /** The relay's own permanent failure (NXDOMAIN, null MX, a check before sending). */
        public PermanentFailure(String reply) {
            this(reply, Optional.empty());
        }
    }
}
