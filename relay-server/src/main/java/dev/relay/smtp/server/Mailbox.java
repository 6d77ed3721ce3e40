package dev.relay.smtp.server;

import java.util.Objects;

/**
 * A parsed RFC 5321 Mailbox.
 *
 * @param localPart as written: a dot-string, or a quoted string including its quotes
 * @param domain a domain without trailing dot, or an address literal including brackets;
 *     empty only for the special {@code <Postmaster>} recipient
 */
record Mailbox(String localPart, String domain) {
    Mailbox {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
    }

    String address() {
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }

    boolean isBarePostmaster() {
        return domain.isEmpty();
    }

    @Override
    public String toString() {
        return address();
    }
}
