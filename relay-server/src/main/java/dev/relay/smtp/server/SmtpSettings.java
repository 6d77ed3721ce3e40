package dev.relay.smtp.server;

import java.util.Objects;

/**
 * The configuration one SMTP listener runs with.
 *
 * @param hostname announced in the greeting, EHLO and Received fields
 * @param listener address and TLS/AUTH modes of this listener
 * @param limits sizes, counts and timeouts; a zero count or duration means "no limit"
 * @param relayNetworks clients that may relay without AUTH
 * @param requireTls {@code delivery.requiretls}: REQUIRETLS (RFC 8689) is announced inside TLS and
 *     its MAIL parameter taken there
 */
public record SmtpSettings(String hostname, ListenerConfig listener, Limits limits, RelayNetworks relayNetworks,
        boolean requireTls) {

    /** Settings that offer REQUIRETLS inside TLS, as the relay does by default. */
    public SmtpSettings(String hostname, ListenerConfig listener, Limits limits, RelayNetworks relayNetworks) {
        this(hostname, listener, limits, relayNetworks, true);
    }

    public SmtpSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(relayNetworks, "relayNetworks");
        if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new IllegalArgumentException("hostname must be a domain name: '" + hostname + "'");
        }
        Objects.requireNonNull(limits.commandTimeout(), "limits.commandTimeout");
        Objects.requireNonNull(limits.dataTimeout(), "limits.dataTimeout");
        if (limits.maxMessageSize() < 0 || limits.maxRecipients() < 0 || limits.maxErrors() < 0
                || limits.commandTimeout().isNegative() || limits.dataTimeout().isNegative()) {
            throw new IllegalArgumentException("limits must not be negative: " + limits);
        }
        if (limits.perRecordDeadline() && limits.minDataRate() < 1) {
            throw new IllegalArgumentException("a per-record deadline needs a minimum data rate of at least 1 byte/s: " + limits);
        }
    }
}
