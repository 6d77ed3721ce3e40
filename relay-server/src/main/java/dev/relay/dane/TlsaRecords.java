package dev.relay.dane;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a secure TLSA RRset asks of an SMTP client (RFC 7672 section 3.1), decided from its
 * records alone:
 * <ul>
 *   <li>{@link Usable}: at least one record the relay can check. Authenticated TLS is mandatory,
 *       and the usable records are the ones that may authenticate the server;</li>
 *   <li>{@link OnlyUnusable}: every record is unusable. TLS is still mandatory (the domain has
 *       shown it wants it), without authentication;</li>
 *   <li>{@link None}: no records at all (RFC 7672 section 2.2: as if there were no TLSA RRset).</li>
 * </ul>
 * A record is unusable when its usage is PKIX-TA(0) or PKIX-EE(1) (section 3.1.3: SMTP has no
 * agreed set of public CAs), its usage, selector or matching type is unknown, or its data
 * cannot be a digest of its matching type (RFC 7671 section 5: malformed).
 */
public sealed interface TlsaRecords {

    /** Records with usable ones among them; the unusable ones are listed for diagnostics. */
    record Usable(List<TlsaRecord> records, List<Unusable> ignored) implements TlsaRecords {
        public Usable {
            records = List.copyOf(records);
            ignored = List.copyOf(ignored);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("no usable records");
            }
        }
    }

    /** Records, none of them usable: TLS without authentication. */
    record OnlyUnusable(List<Unusable> ignored) implements TlsaRecords {
        public OnlyUnusable {
            ignored = List.copyOf(ignored);
            if (ignored.isEmpty()) {
                throw new IllegalArgumentException("no records");
            }
        }
    }

    /** No records. */
    record None() implements TlsaRecords {}

    /** A record the relay cannot use, and why, in words for a mail admin. */
    record Unusable(TlsaRecord record, String why) {
        public Unusable {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(why, "why");
        }
    }

    /** Sorts an RRset's records into usable and unusable. */
    static TlsaRecords classify(List<TlsaRecord> records) {
        List<TlsaRecord> usable = new ArrayList<>();
        List<Unusable> unusable = new ArrayList<>();
        for (TlsaRecord r : records) {
            String why = unusableBecause(r);
            if (why.isEmpty()) {
                if (!usable.contains(r)) {
                    usable.add(r);
                }
            } else {
                unusable.add(new Unusable(r, why));
            }
        }
        if (!usable.isEmpty()) {
            return new Usable(usable, unusable);
        }
        return unusable.isEmpty() ? new None() : new OnlyUnusable(unusable);
    }

    /** Why a record is unusable for SMTP; empty when it is usable. */
    private static String unusableBecause(TlsaRecord r) {
        var usage = r.knownUsage();
        if (usage.isEmpty()) {
            return "unknown certificate usage " + r.usage();
        }
        if (usage.get() == TlsaRecord.Usage.PKIX_TA || usage.get() == TlsaRecord.Usage.PKIX_EE) {
            return "usage " + usage.get().label() + " is not used for SMTP (RFC 7672 section 3.1.3)";
        }
        if (r.knownSelector().isEmpty()) {
            return "unknown selector " + r.selector();
        }
        var matching = r.knownMatching();
        if (matching.isEmpty()) {
            return "unknown matching type " + r.matchingType();
        }
        int length = matching.get().length();
        if (length > 0 && r.rawData().length != length) {
            return "a " + matching.get().digest() + " digest is " + length + " bytes, this one has " + r.rawData().length;
        }
        if (r.rawData().length == 0) {
            return "no certificate association data";
        }
        return "";
    }
}
