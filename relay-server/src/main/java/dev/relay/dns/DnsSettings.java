package dev.relay.dns;

import dev.relay.settings.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the resolver ({@code delivery.dns}).
 *
 * @param servers the servers to ask, in order; empty for the system's
 * @param dnssec how DNSSEC status is learnt ({@code delivery.dns.dnssec})
 * @param trustAnchors a file of DS or DNSKEY records in zone-file format replacing the built-in
 *     root anchors ({@code delivery.dns.trust-anchors}); empty for the built-in ones
 */
public record DnsSettings(List<HostPort> servers, DnssecMode dnssec, Optional<Path> trustAnchors) {
    public DnsSettings {
        servers = List.copyOf(servers);
        Objects.requireNonNull(dnssec, "dnssec");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
    }

    /** These servers, validating from the built-in root anchors. */
    public DnsSettings(List<HostPort> servers) {
        this(servers, DnssecMode.VALIDATE, Optional.empty());
    }
}
