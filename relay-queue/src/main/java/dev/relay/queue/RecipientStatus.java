package dev.relay.queue;

import dev.relay.outcome.Outcome;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one recipient of a queued message stands, with the typed outcome of its latest attempt
 * (the reply, whose verdict it was, the TLS facts and the cause).
 */
public sealed interface RecipientStatus {

    /** True once nothing more will be attempted for this recipient. */
    default boolean isFinal() {
        return this instanceof Delivered || this instanceof Failed;
    }

    /** The latest attempt's outcome; empty before the first. */
    default Optional<Outcome> latest() {
        return switch (this) {
            case Pending p -> Optional.empty();
            case Delivered d -> Optional.of(d.outcome());
            case Deferred d -> Optional.of(d.outcome());
            case Failed f -> Optional.of(f.outcome());
        };
    }

    /** The MX host whose reply the outcome is; empty when the relay decided, or nothing was tried. */
    default Optional<String> remoteMta() {
        return latest().flatMap(Outcome::remoteMta);
    }

    /** Not yet attempted. */
    record Pending() implements RecipientStatus {}

    /** Accepted by the next hop at {@code at}. */
    record Delivered(Instant at, Outcome.Delivered outcome) implements RecipientStatus {
        public Delivered {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** The next hop's reply on one line. */
        public String remoteReply() {
            return outcome.reply().line();
        }
    }

    /** Failed temporarily; tried again at {@code nextAttempt}. */
    record Deferred(Instant nextAttempt, Outcome.Deferred outcome) implements RecipientStatus {
        public Deferred {
            Objects.requireNonNull(nextAttempt, "nextAttempt");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** The reply on one line, for people. */
        public String reason() {
            return outcome.reply().line();
        }
    }

    /** Failed permanently (or expired) at {@code at}; a DSN is due unless the sender is null. */
    record Failed(Instant at, Outcome.Failed outcome) implements RecipientStatus {
        public Failed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** The reply on one line, for people; an expiry says so before the last reply. */
        public String reason() {
            return outcome.expired()
                    ? "delivery time expired; last reply: " + outcome.reply().line()
                    : outcome.reply().line();
        }
    }
}
