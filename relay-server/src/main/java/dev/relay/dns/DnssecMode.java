package dev.relay.dns;

import dev.relay.label.DashedLabel;
import java.util.Optional;

/**
 * How the relay learns whether an answer is DNSSEC-secure ({@code delivery.dns.dnssec}); its
 * label is as written in the configuration: {@code validate}, {@code trust-ad}, {@code off}.
 */
public enum DnssecMode implements DashedLabel {
    /** Validate answers itself with dnsjava's validator, from the trust anchors. The default. */
    VALIDATE,
    /**
     * Believe the AD bit of the configured resolvers: for sites that run a validating resolver
     * they trust, on loopback (as Postfix does). A bogus answer then looks like SERVFAIL.
     */
    TRUST_AD,
    /** No DNSSEC: every answer is insecure, so DANE never applies. */
    OFF;

    public static Optional<DnssecMode> fromLabel(String label) {
        return DashedLabel.fromLabel(DnssecMode.class, label);
    }
}
