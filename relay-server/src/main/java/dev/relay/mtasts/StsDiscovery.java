package dev.relay.mtasts;

import java.util.Objects;

/** What the TXT records at {@code _mta-sts.<domain>} say, per {@link StsRecordParser}. */
public sealed interface StsDiscovery {

    /** Exactly one valid {@code v=STSv1} record. */
    record Found(StsRecord record) implements StsDiscovery {
        public Found {
            Objects.requireNonNull(record, "record");
        }
    }

    /** No TXT record begins with {@code v=STSv1}: the domain announces no policy. */
    record NoRecord() implements StsDiscovery {}

    /**
     * An announcement that cannot be used: two or more {@code v=STSv1} records, a bad or missing
     * id, broken syntax. No new policy is fetched, but a cached one still applies.
     */
    record Invalid(String reason) implements StsDiscovery {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
