package dev.relay.dns;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Record;

/**
 * The resolved answer to one {@link Question}, CNAMEs already followed: what the cache holds.
 * TTLs are in seconds and already the minimum over the CNAME chain. {@code secure} is true only
 * when DNSSEC proved every response of the chain (a validating lookup said so, or a trusted
 * resolver set the AD bit); plain lookups never read it and leave it false.
 */
sealed interface Answer {

    ResultKind kind();

    /** How long this answer may be cached, in seconds; 0 for failures. */
    long ttl();

    /** Whether DNSSEC proved this answer; false for failures. */
    boolean secure();

    /** Records of the asked type, owned by the last name of the CNAME chain. */
    record Found(List<Record> records, long ttl, boolean secure) implements Answer {
        public Found {
            records = List.copyOf(records);
        }

        Found(List<Record> records, long ttl) {
            this(records, ttl, false);
        }

        @Override
        public ResultKind kind() {
            return ResultKind.FOUND;
        }
    }

    /**
     * A negative answer (RFC 2308): {@link ResultKind#NXDOMAIN}, the name does not exist, or
     * {@link ResultKind#NO_DATA}, NOERROR without records of the asked type. ttl from the SOA in
     * the authority section (RFC 2308 section 5).
     */
    record Negative(ResultKind kind, long ttl, boolean secure) implements Answer {
        public Negative {
            if (kind != ResultKind.NO_DATA && kind != ResultKind.NXDOMAIN) {
                throw new IllegalArgumentException("not a negative answer: " + kind);
            }
        }

        Negative(ResultKind kind, long ttl) {
            this(kind, ttl, false);
        }

        /** False for NXDOMAIN. */
        boolean nameExists() {
            return kind == ResultKind.NO_DATA;
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

        @Override
        public boolean secure() {
            return false;
        }
    }

    /** The same answer, valid no longer than {@code limit} seconds (the CNAME chain's TTL). */
    default Answer capTtl(long limit) {
        return switch (this) {
            case Found f -> f.ttl() <= limit ? f : new Found(f.records(), limit, f.secure());
            case Negative n -> n.ttl() <= limit ? n : new Negative(n.kind(), limit, n.secure());
            case Failed f -> f;
        };
    }

    /** The same answer, secure only if the responses before it along the CNAME chain were too. */
    default Answer secureOnlyIf(boolean chainSecure) {
        if (chainSecure || !secure()) {
            return this;
        }
        return switch (this) {
            case Found f -> new Found(f.records(), f.ttl(), false);
            case Negative n -> new Negative(n.kind(), n.ttl(), false);
            case Failed f -> f;
        };
    }
}
