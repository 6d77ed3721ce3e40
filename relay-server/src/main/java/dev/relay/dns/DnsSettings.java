package dev.relay.dns;

import dev.relay.settings.HostPort;
import java.util.List;

/**
 * Settings of the resolver ({@code delivery.dns}).
 *
 * @param servers the servers to ask, in order; empty for the system's
 */
public record DnsSettings(List<HostPort> servers) {
    public DnsSettings {
        servers = List.copyOf(servers);
    }
}
