package dev.relay.smtp.client;

import java.util.List;
import java.util.Objects;

/**
 * How one attempt to hand a message over ended. Either way there is one
 * {@link RecipientVerdict} per recipient of the message, in its order, for delivery to
 * classify.
 */
public sealed interface TransactionOutcome {

    SessionInfo session();

    /** One per recipient, in the message's order. */
    List<RecipientVerdict> results();

    /**
     * The server gave its verdict: per recipient from RCPT, the end of data, or a reply that
     * applies to all (MAIL, DATA); or the relay found before sending anything that this server
     * cannot take the message (SIZE, SMTPUTF8, BINARYMIME). Each result says which.
     */
    record Concluded(SessionInfo session, List<RecipientVerdict> results) implements TransactionOutcome {
        public Concluded {
            Objects.requireNonNull(session, "session");
            results = List.copyOf(results);
        }
    }

    /**
     * The connection failed before the server's verdict. Recipients it had already refused at
     * RCPT keep that answer; all others are {@link RecipientVerdict.Unanswered}: the failure
     * applies to them. The caller may try the next MX address.
     */
    record Failed(SessionInfo session, ConnectionFailure failure, List<RecipientVerdict> results)
            implements TransactionOutcome {
        public Failed {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(failure, "failure");
            results = List.copyOf(results);
        }
    }
}
