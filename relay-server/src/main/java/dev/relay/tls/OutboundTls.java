package dev.relay.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of outbound TLS ({@code delivery.tls}).
 *
 * @param extraTrust a PEM bundle of CAs trusted beside the system's, for SMTP and policy HTTPS
 */
public record OutboundTls(Optional<Path> extraTrust) {
    public OutboundTls {
        Objects.requireNonNull(extraTrust, "extraTrust");
    }
}
