package dev.relay.delivery;

import dev.relay.dane.TlsaRecords;
import dev.relay.tls.CertificateCheck;
import java.util.List;
import java.util.Objects;

/**
 * What DANE (RFC 7672) asks of one MX host, as its DNSSEC-validated lookups found it: the
 * MX RRset's security, the host's address records, and its TLSA records at {@code _25._tcp}.
 */
public sealed interface DaneHost {

    /**
     * DANE does not apply: the MX lookup or the host's addresses are not DNSSEC-secure, DNSSEC is
     * off, or the host has no secure TLSA records. MTA-STS (or opportunistic TLS) governs.
     *
     * @param why one line for the log and {@code tls check}
     */
    record NotApplicable(String why) implements DaneHost {
        public NotApplicable {
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * Secure TLSA records with usable ones among them: authenticated TLS is mandatory, verified
     * by those records.
     *
     * @param tlsaName where the records were found, e.g. {@code _25._tcp.mx.example.com}
     * @param referenceNames the names a DANE-TA leaf may carry (RFC 7672 section 3.2.2): the MX
     *     host name and, when the TLSA base was CNAME-expanded, the expanded name
     */
    record Verify(TlsaRecords.Usable records, String tlsaName, List<String> referenceNames) implements DaneHost {
        public Verify {
            Objects.requireNonNull(records, "records");
            Objects.requireNonNull(tlsaName, "tlsaName");
            referenceNames = List.copyOf(referenceNames);
        }

        /** These records as the SMTP client's judge of the host's certificate. */
        public CertificateCheck check() {
            return new DaneCheck(records, referenceNames);
        }
    }

    /** Secure TLSA records, none usable: STARTTLS is mandatory, without authentication. */
    record EncryptOnly(TlsaRecords.OnlyUnusable records, String tlsaName) implements DaneHost {
        public EncryptOnly {
            Objects.requireNonNull(records, "records");
            Objects.requireNonNull(tlsaName, "tlsaName");
        }
    }

    /**
     * The host's TLSA records (or its address records) in signed DNS fail DNSSEC validation, or
     * their lookup failed: the host must not be used, and never without DANE (RFC 7672 section 2.2).
     *
     * @param reason one line, for the log, the DSN and {@code tls check}
     */
    record Unverifiable(String reason) implements DaneHost {
        public Unverifiable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
