package dev.relay.tlsrpt;

import java.net.URI;
import java.util.Objects;

/** Where a domain wants its TLS reports (RFC 8460 section 3, {@code rua}): by mail or by HTTPS POST. */
public sealed interface ReportUri {

    /** The URI as the record gave it, for logs and the {@code tls-rpt show} output. */
    String text();

    /**
     * {@code mailto:} (RFC 6068) reduced to its one address; header fields ({@code ?subject=...})
     * are dropped, as RFC 8460 section 5.3 fixes the report's own.
     *
     * @param address the decoded address, {@code local@domain}
     */
    record Mailto(String address, String text) implements ReportUri {
        public Mailto {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code https:} with a host: the report is POSTed there (RFC 8460 section 5.4). */
    record Https(URI uri, String text) implements ReportUri {
        public Https {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(text, "text");
        }
    }
}
