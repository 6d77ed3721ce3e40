package dev.relay.dns;

import java.util.List;
import java.util.Objects;

/** The TXT records at one name, CNAMEs followed. */
public sealed interface TxtResult {

    /**
     * One string per TXT record, in the order DNS gave them. The character-strings of a record
     * are joined without any separator (RFC 7208 3.3, RFC 8461 3.1) and decoded as UTF-8.
     * Never empty.
     */
    record Records(List<String> records) implements TxtResult {
        public Records {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("no records");
            }
        }
    }

    /** NXDOMAIN: the name does not exist (or is not a valid domain name at all). */
    record NoSuchDomain() implements TxtResult {}

    /** The name exists but has no TXT records. */
    record NoRecords() implements TxtResult {}

    /**
     * SERVFAIL, REFUSED, timeout, network error or a broken answer. For MTA-STS this must never
     * be read as "no policy".
     */
    record TemporaryFailure(String reason) implements TxtResult {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
