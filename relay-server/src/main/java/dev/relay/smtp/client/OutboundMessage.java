package dev.relay.smtp.client;

import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import java.util.List;
import java.util.Objects;

/**
 * One message to hand over in one SMTP transaction.
 *
 * @param sender the reverse path without angle brackets; empty for the null sender
 * @param recipients those to try in this transaction (all for the same destination), in the
 *     order results are reported
 * @param parameters as accepted (SIZE is recomputed from {@code size}; BODY, SMTPUTF8, RET,
 *     ENVID travel on when the remote supports them)
 * @param size the body size in bytes as stored (what SIZE= declares, and what BDAT sends)
 * @param body opens the body
 */
public record OutboundMessage(
        String sender, List<RecipientAddress> recipients, MailParameters parameters, long size, BodySource body) {

    public OutboundMessage {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient");
        }
        Objects.requireNonNull(parameters, "parameters");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        Objects.requireNonNull(body, "body");
    }
}
