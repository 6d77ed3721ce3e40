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
 * @param localAddress the relay's own IP address on the connection, when it was established
 *     (TLS reports name it as {@code sending-mta-ip})
 */
public record SessionInfo(Destination destination, boolean connected, Optional<TlsDetails> tls, Extensions extensions,
        int connectionUse, Optional<String> localAddress) {

    public SessionInfo {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(extensions, "extensions");
        Objects.requireNonNull(localAddress, "localAddress");
    }

    /** A session whose local address is not known. */
    public SessionInfo(Destination destination, boolean connected, Optional<TlsDetails> tls, Extensions extensions,
            int connectionUse) {
        this(destination, connected, tls, extensions, connectionUse, Optional.empty());
    }

    static SessionInfo notConnected(Destination destination) {
        return new SessionInfo(destination, false, Optional.empty(), Extensions.NONE, 0);
    }
}
