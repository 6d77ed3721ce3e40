package dev.relay.tlsrpt;

import java.util.Objects;

/** What a domain's TXT records at {@code _smtp._tls.<domain>} say: report there, or send no report. */
public sealed interface TlsRptDiscovery {

    /** Exactly one valid {@code v=TLSRPTv1} record with at least one usable destination. */
    record Found(TlsRptRecord record) implements TlsRptDiscovery {
        public Found {
            Objects.requireNonNull(record, "record");
        }
    }

    /** No record begins with {@code v=TLSRPTv1}: the domain asks for no reports. */
    record NoRecord() implements TlsRptDiscovery {}

    /** A record is there but cannot be used (RFC 8460 section 3: then the domain gets no report). */
    record Invalid(String reason) implements TlsRptDiscovery {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
