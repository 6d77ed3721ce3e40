package dev.relay.delivery;

import dev.relay.outcome.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * How one attempt to hand a message over ended. Either way there is one
 * {@link Outcome} per recipient of the message, in its order, ready for
 * {@code MessageQueue.recordResults}.
 */
public sealed interface TransactionOutcome {

    SessionInfo session();

    /** One per recipient, in the message's order. */
    List<Outcome> results();

    /** The same ending with each result under the policy that governed the attempt. */
    default TransactionOutcome underPolicy(dev.relay.outcome.AppliedPolicy policy) {
        List<Outcome> stamped = results().stream().map(r -> r.underPolicy(policy)).toList();
        return switch (this) {
            case Concluded c -> new Concluded(c.session(), stamped);
            case Failed f -> new Failed(f.session(), f.failure(), stamped);
        };
    }

    /**
     * The server gave its verdict: per recipient from RCPT, the end of data, or a reply that
     * applies to all (MAIL, DATA); or the relay found before sending anything that this server
     * cannot take the message (SIZE 5.3.4, SMTPUTF8 5.6.7, BINARYMIME 5.6.3). Each result says
     * which: a server's reply names the MX host in {@link Outcome#remoteMta()}, the
     * relay's own finding leaves it empty.
     */
    record Concluded(SessionInfo session, List<Outcome> results) implements TransactionOutcome {
        public Concluded {
            Objects.requireNonNull(session, "session");
            results = List.copyOf(results);
        }
    }

    /**
     * The connection failed before the server's verdict. Recipients it had already refused at
     * RCPT keep that answer; all others are {@link Outcome.Deferred} as
     * {@link Verdicts#connectionFailed} classifies the failure. The caller may try the next MX address.
     */
    record Failed(SessionInfo session, ConnectionFailure failure, List<Outcome> results)
            implements TransactionOutcome {
        public Failed {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(failure, "failure");
            results = List.copyOf(results);
        }
    }
}
