package dev.relay.smtp.server;

import dev.relay.settings.HostPort;
import java.util.Objects;

/**
 * One SMTP listener.
 *
 * @param address where to bind
 * @param starttls whether STARTTLS is offered (optional) or demanded before MAIL (required)
 * @param implicitTls TLS from the first byte (port 465 style)
 * @param auth whether AUTH is offered (optional) or demanded before MAIL (required)
 */
public record ListenerConfig(HostPort address, Mode starttls, boolean implicitTls, Mode auth) {
    public ListenerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(starttls, "starttls");
        Objects.requireNonNull(auth, "auth");
    }

    /** A name for logs and metric labels: the bound address as configured. */
    public String name() {
        return address.toString();
    }
}
