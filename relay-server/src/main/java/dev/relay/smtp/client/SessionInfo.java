package dev.relay.smtp.client;

import dev.relay.tls.TlsDetails;
import java.util.Objects;
import java.util.Optional;

/**
 * The connection an attempt used, for the log line and metrics.
 *
 * @param destination where it went
 * @param connected whether the TCP connection was ever established (Postfix logs {@code relay=none} otherwise)
 * @param tls the TLS session, when STARTTLS succeeded
 * @param extensions what the server announced (after STARTTLS: what it announced over TLS)
 * @param connectionUse 1 for the first transaction on the connection, 2 for the next, ...
 */
public record SessionInfo(
        Destination destination, boolean connected, Optional<TlsDetails> tls, Extensions extensions, int connectionUse) {

    public SessionInfo {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(extensions, "extensions");
    }

    static SessionInfo notConnected(Destination destination) {
        return new SessionInfo(destination, false, Optional.empty(), Extensions.NONE, 0);
    }
}
