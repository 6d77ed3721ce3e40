package dev.relay.dns;

import java.util.Objects;

/**
 * What one look at the configured resolvers found about DNSSEC ({@link DnsResolver#checkDnssec()}):
 * whether a secure answer can come back through them at all. A resolver that strips
 * signatures makes every validated lookup bogus, so all mail waits; this is found once at
 * start rather than one deferral at a time.
 */
public sealed interface DnssecCheck {

    /** The zone whose DNSKEY set was asked for: the (first) trust anchor's, {@code .} by default. */
    String zone();

    /** The DNSKEY set of the anchored zone came back proved secure: validation works. */
    record Working(String zone) implements DnssecCheck {
        public Working {
            Objects.requireNonNull(zone, "zone");
        }
    }

    /**
     * An answer came back, and it was not secure: the servers strip DNSSEC records (validate),
     * or do not validate (trust-ad).
     *
     * @param reason what was wrong with the answer, for the log
     */
    record NotWorking(String zone, String reason) implements DnssecCheck {
        public NotWorking {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** No answer to judge (timeout, SERVFAIL, network error): worth asking again later. */
    record NoAnswer(String zone, String reason) implements DnssecCheck {
        public NoAnswer {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
