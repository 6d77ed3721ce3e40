package dev.relay.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the SMTP transaction established about a message, apart from its body.
 *
 * @param sender the reverse path without angle brackets; empty string for the null sender
 * @param recipients in the order the client gave them; at least one
 * @param parameters MAIL FROM parameters that travel on
 * @param arrival when the message was accepted
 * @param clientAddress the peer IP address, as text
 * @param heloName what the client said in EHLO/HELO
 * @param authenticatedUser the AUTH identity, when the client authenticated
 * @param tlsRequiredNo whether the header section carries {@code TLS-Required: No} (RFC 8689
 *     section 4.2.2): the sender asks that the recipient domains' TLS policies be ignored for
 *     this message. Found when the message was received, so delivery never reads the body for it
 */
public record Envelope(
        String sender,
        List<RecipientAddress> recipients,
        MailParameters parameters,
        Instant arrival,
        String clientAddress,
        String heloName,
        Optional<String> authenticatedUser,
        boolean tlsRequiredNo) {

    /** An envelope whose message does not carry {@code TLS-Required: No}. */
    public Envelope(String sender, List<RecipientAddress> recipients, MailParameters parameters, Instant arrival,
            String clientAddress, String heloName, Optional<String> authenticatedUser) {
        this(sender, recipients, parameters, arrival, clientAddress, heloName, authenticatedUser, false);
    }

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(authenticatedUser, "authenticatedUser");
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** Whether the message carries REQUIRETLS (RFC 8689): see {@link MailParameters#requireTls()}. */
    public boolean requireTls() {
        return parameters.requireTls();
    }
}
