package dev.relay.dns;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Record;

/**
 * The resolved answer to one {@link Question}, CNAMEs already followed: what the cache holds.
 * TTLs are in seconds and already the minimum over the CNAME chain.
 */
sealed interface Answer {

    ResultKind kind();

    /** How long this answer may be cached, in seconds; 0 for failures. */
    long ttl();

    /** Records of the asked type, owned by the last name of the CNAME chain. */
    record Found(List<Record> records, long ttl) implements Answer {
        public Found {
            records = List.copyOf(records);
        }

        @Override
        public ResultKind kind() {
            return ResultKind.FOUND;
        }
    }

    /** NOERROR without records; ttl from the SOA in the authority section (RFC 2308 5). */
    record NoData(long ttl) implements Answer {
        @Override
        public ResultKind kind() {
            return ResultKind.NO_DATA;
        }
    }

    /** NXDOMAIN; ttl from the SOA in the authority section (RFC 2308 5). */
    record NxDomain(long ttl) implements Answer {
        @Override
        public ResultKind kind() {
            return ResultKind.NXDOMAIN;
        }
    }

    /** The question could not be answered; never cached. */
    record Failed(ResultKind kind, String reason) implements Answer {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
            if (!kind.isTemporary()) {
                throw new IllegalArgumentException("not a failure: " + kind);
            }
        }

        @Override
        public long ttl() {
            return 0;
        }
    }

    /** The same answer, valid no longer than {@code limit} seconds (the CNAME chain's TTL). */
    default Answer capTtl(long limit) {
        return switch (this) {
            case Found f -> f.ttl() <= limit ? f : new Found(f.records(), limit);
            case NoData n -> n.ttl() <= limit ? n : new NoData(limit);
            case NxDomain n -> n.ttl() <= limit ? n : new NxDomain(limit);
            case Failed f -> f;
        };
    }
}
