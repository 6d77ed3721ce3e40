package dev.relay.smtp.client;

import java.util.Objects;

/**
 * What one transaction found for one recipient, as raw facts: the server's reply, or why the
 * client did not send (or could not finish) for it. The client judges nothing beyond that;
 * delivery's classifier turns each into an outcome.
 */
public sealed interface RecipientVerdict {

    /** The server's reply to RCPT, or to MAIL, DATA or the end of data that applied to this recipient. */
    record Replied(SmtpReply reply) implements RecipientVerdict {
        public Replied {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** The server announced a SIZE limit the message exceeds: not sent. */
    record TooBig(long size, long limit) implements RecipientVerdict {}

    /** The message needs an extension the server did not announce: not sent. */
    record ExtensionMissing(NeededExtension extension) implements RecipientVerdict {
        public ExtensionMissing {
            Objects.requireNonNull(extension, "extension");
        }
    }

    /** The sender's (or this recipient's) address cannot be written in an SMTP command as stored. */
    record AddressNotSendable(boolean sender) implements RecipientVerdict {}

    /** The queued body could not be read: nothing was sent. */
    record BodyUnreadable(String why) implements RecipientVerdict {
        public BodyUnreadable {
            Objects.requireNonNull(why, "why");
        }
    }

    /** The server answered DATA with something other than 354 or a refusal; the connection is given up. */
    record UnexpectedDataReply(SmtpReply reply) implements RecipientVerdict {
        public UnexpectedDataReply {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** The connection failed before the server's verdict: the transaction's {@link ConnectionFailure} applies. */
    record Unanswered() implements RecipientVerdict {}

    /** An extension a message can depend on. */
    enum NeededExtension {
        /** RFC 6531: internationalised addresses or headers. */
        SMTPUTF8,
        /** RFC 3030: binary content, which needs CHUNKING and BINARYMIME. */
        BINARYMIME,
        /** RFC 8689: the message carries REQUIRETLS, so the next hop must take it on. */
        REQUIRETLS
    }
}
