package dev.relay.outcome;

import java.util.Optional;

/** Which TLS policy governed an attempt (RFC 8460 calls the first two "sts", the last "no-policy-found"). */
public enum AppliedPolicy {
    MTA_STS_ENFORCE("mta-sts-enforce", "enforce"),
    MTA_STS_TESTING("mta-sts-testing", "testing"),
    NONE("none", "none");

    private final String label;
    private final String mtaStsMode;

    AppliedPolicy(String label, String mtaStsMode) {
        this.label = label;
        this.mtaStsMode = mtaStsMode;
    }

    /** The stored and logged name. */
    public String label() {
        return label;
    }

    /** The {@code mta_sts_mode} metric label: {@code enforce}, {@code testing} or {@code none}. */
    public String mtaStsMode() {
        return mtaStsMode;
    }

    public static Optional<AppliedPolicy> fromLabel(String label) {
        for (AppliedPolicy policy : values()) {
            if (policy.label.equals(label)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
