package dev.relay.dane;

import dev.relay.outcome.Cause;
import java.util.Objects;

/** What {@link DaneVerifier} concluded about a server's certificate chain. */
public sealed interface DaneVerdict {

    /**
     * A usable TLSA record vouches for the server.
     *
     * @param usage the usage of the record that matched (DANE-EE or DANE-TA)
     * @param record that record
     */
    record Authenticated(TlsaRecord.Usage usage, TlsaRecord record) implements DaneVerdict {
        public Authenticated {
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * No usable record vouches for the server.
     *
     * @param cause the RFC 8460 result type: {@link Cause#TLSA_INVALID} when no record matches,
     *     {@link Cause#CERTIFICATE_HOST_MISMATCH} or {@link Cause#CERTIFICATE_EXPIRED} when a
     *     DANE-TA anchor matched but the name or the dates do not, {@link Cause#VALIDATION_FAILURE}
     *     for any other broken chain
     * @param reason one line for the log and the DSN, in a mail admin's words
     */
    record Failed(Cause cause, String reason) implements DaneVerdict {
        public Failed {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
