package dev.relay.queue;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One RCPT TO as accepted: the address and its DSN parameters.
 *
 * @param address the mailbox, without angle brackets
 * @param notifyOn NOTIFY= values; empty when the client gave none (the default applies)
 * @param originalRecipient ORCPT=, as "addr-type;xtext-decoded address"
 */
public record RecipientAddress(String address, Set<DsnNotify> notifyOn, Optional<String> originalRecipient) {
    public RecipientAddress {
        Objects.requireNonNull(address, "address");
        notifyOn = Set.copyOf(notifyOn);
        Objects.requireNonNull(originalRecipient, "originalRecipient");
    }

    public static RecipientAddress of(String address) {
        return new RecipientAddress(address, Set.of(), Optional.empty());
    }

    /** The part after the last '@', lower-cased: what delivery groups by. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
