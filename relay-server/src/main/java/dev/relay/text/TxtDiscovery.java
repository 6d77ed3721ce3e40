package dev.relay.text;

import java.util.Objects;

/**
 * What the TXT records of a versioned announcement say, per {@link TxtRecordFields#readTheOne}:
 * the one record of its version, none, or one that cannot be used. Each parser says what its
 * record type is and what each case means for its RFC.
 *
 * @param <R> the record the announcement carries
 */
public sealed interface TxtDiscovery<R> {

    /** Exactly one valid record of the version (valid as its record type says). */
    record Found<R>(R record) implements TxtDiscovery<R> {
        public Found {
            Objects.requireNonNull(record, "record");
        }
    }

    /** No TXT record begins with the version: the domain announces nothing. */
    record NoRecord<R>() implements TxtDiscovery<R> {}

    /**
     * An announcement that cannot be used: two or more records of the version, a bad or missing
     * field, broken syntax.
     */
    record Invalid<R>(String reason) implements TxtDiscovery<R> {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
