package dev.relay.dns;

import java.util.Locale;
import java.util.Optional;

/** How the relay learns whether an answer is DNSSEC-secure ({@code delivery.dns.dnssec}). */
public enum DnssecMode {
    /** Validate answers itself with dnsjava's validator, from the trust anchors. The default. */
    VALIDATE,
    /**
     * Believe the AD bit of the configured resolvers: for sites that run a validating resolver
     * they trust, on loopback (as Postfix does). A bogus answer then looks like SERVFAIL.
     */
    TRUST_AD,
    /** No DNSSEC: every answer is insecure, so DANE never applies. */
    OFF;

    /** As written in the configuration: {@code validate}, {@code trust-ad}, {@code off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<DnssecMode> fromLabel(String label) {
        for (DnssecMode mode : values()) {
            if (mode.label().equals(label)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
