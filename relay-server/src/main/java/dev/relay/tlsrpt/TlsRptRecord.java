package dev.relay.tlsrpt;

import java.util.List;

/**
 * A domain's {@code _smtp._tls} TXT record (RFC 8460 section 3), reduced to what a sender uses.
 *
 * @param destinations the {@code mailto:} and {@code https:} URIs of {@code rua}, in record
 *     order, never empty
 * @param ignored the other URIs of {@code rua} (schemes we do not send to), for diagnostics
 */
public record TlsRptRecord(List<ReportUri> destinations, List<String> ignored) {
    public TlsRptRecord {
        destinations = List.copyOf(destinations);
        ignored = List.copyOf(ignored);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("a usable record has at least one destination");
        }
    }
}
