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

    /**
     * Whether this policy authenticates the MX host and its certificate, as RFC 8689 section
     * 4.2.1 asks of a REQUIRETLS message's route: an MTA-STS policy in enforce mode (the host
     * matched the policy, the certificate chained to a trusted root and named the host). A
     * testing policy does not: it lets mail through when the checks fail. DANE (a DNSSEC-secure
     * MX with usable TLSA records) belongs here when it becomes a policy of its own.
     */
    public boolean authenticated() {
        return switch (this) {
            case MTA_STS_ENFORCE -> true;
            case MTA_STS_TESTING, NONE -> false;
        };
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
