package dev.relay.outcome;

import dev.relay.label.DashedLabel;
import java.util.Optional;

/**
 * Which TLS policy governed an attempt at one MX host. DANE (RFC 7672) governs a host with
 * DNSSEC-secure TLSA records and takes precedence over MTA-STS there (RFC 8461 section 2); MTA-STS
 * governs the domain's other hosts. RFC 8460 reports the DANE values as "tlsa", the MTA-STS ones
 * as "sts", {@link #NONE} as "no-policy-found". The labels (the stored and logged names: the
 * constants' names, dashed) are stored in the spool: add, never rename.
 */
public enum AppliedPolicy implements DashedLabel {
    /** Secure, usable TLSA records: TLS mandatory, the certificate verified by them (DANE-EE or DANE-TA). */
    DANE("none", "verify", true),
    /** Secure TLSA records, none usable: TLS mandatory, the certificate not authenticated (RFC 7672 section 3.1.3). */
    DANE_ENCRYPT("none", "encrypt", false),
    MTA_STS_ENFORCE("enforce", "none", true),
    MTA_STS_TESTING("testing", "none", false),
    NONE("none", "none", false);

    private final String mtaStsMode;
    private final String daneMode;
    private final boolean authenticated;

    AppliedPolicy(String mtaStsMode, String daneMode, boolean authenticated) {
        this.mtaStsMode = mtaStsMode;
        this.daneMode = daneMode;
        this.authenticated = authenticated;
    }

    /**
     * The {@code mta_sts_mode} metric label and the attempt log's {@code mta-sts=}: {@code enforce},
     * {@code testing} or {@code none}. {@code none} for a host DANE governs: MTA-STS did not.
     */
    public String mtaStsMode() {
        return mtaStsMode;
    }

    /** The attempt log's {@code dane=}: {@code verify}, {@code encrypt} or {@code none} (DANE did not govern). */
    public String daneMode() {
        return daneMode;
    }

    /** Whether DANE governed the host (usable TLSA records or only unusable ones). */
    public boolean isDane() {
        return this == DANE || this == DANE_ENCRYPT;
    }

    /**
     * Whether this policy demands an authenticated MX host over authenticated TLS, so that an
     * attempt that delivered under it was authenticated end to end: DANE (the MX from a
     * DNSSEC-secure lookup, the certificate verified by TLSA records) or an enforced MTA-STS policy
     * (the MX listed by the policy, the certificate verified by the Web PKI for the MX name). What
     * RFC 8689 section 5 asks of the MX and the TLS for a REQUIRETLS message; the REQUIRETLS of the
     * next hop is another matter.
     */
    public boolean authenticated() {
        return authenticated;
    }

    public static Optional<AppliedPolicy> fromLabel(String label) {
        return DashedLabel.fromLabel(AppliedPolicy.class, label);
    }
}
