package dev.relay.dns;

import dev.relay.dane.TlsaRecord;
import java.util.List;
import java.util.Objects;

/**
 * The TLSA records of one service ({@code _25._tcp.<host>}), with what DNSSEC says of them.
 * Only {@link Secure} records may be used (RFC 7672 section 2.2); {@link Bogus} and
 * {@link TemporaryFailure} must never be read as "no records" for a host in signed DNS.
 */
public sealed interface TlsaResult {

    /** Records proved by DNSSEC, as published (usable or not). Never empty. */
    record Secure(List<TlsaRecord> records) implements TlsaResult {
        public Secure {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("no records");
            }
        }
    }

    /** Records exist but DNSSEC does not prove them (unsigned zone, or DNSSEC off): no DANE. */
    record Insecure() implements TlsaResult {}

    /**
     * No TLSA records (NXDOMAIN or no data): no DANE for this host.
     *
     * @param secure whether DNSSEC proved the absence
     */
    record NoRecords(boolean secure) implements TlsaResult {}

    /** DNSSEC validation failed: the records are missing signatures, or forged, or expired. */
    record Bogus(String reason) implements TlsaResult {
        public Bogus {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** SERVFAIL, REFUSED, timeout or network error: could not find out, try again later. */
    record TemporaryFailure(String reason) implements TlsaResult {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
