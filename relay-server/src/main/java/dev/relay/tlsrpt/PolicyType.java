package dev.relay.tlsrpt;

import dev.relay.label.DashedLabel;
import dev.relay.outcome.AppliedPolicy;
import java.util.Optional;

/**
 * RFC 8460 section 4.4 {@code policy-type}: which kind of policy a session was judged by. Its
 * label is the report's and the metric's name, e.g. {@code no-policy-found}.
 */
public enum PolicyType implements DashedLabel {
    STS,
    TLSA,
    NO_POLICY_FOUND;

    /**
     * MTA-STS in either mode is {@code sts} (a testing policy is reported like an enforced one);
     * DANE, with usable TLSA records or only unusable ones, is {@code tlsa}.
     */
    public static PolicyType of(AppliedPolicy policy) {
        return switch (policy) {
            case DANE, DANE_ENCRYPT -> TLSA;
            case MTA_STS_ENFORCE, MTA_STS_TESTING -> STS;
            case NONE -> NO_POLICY_FOUND;
        };
    }

    public static Optional<PolicyType> fromLabel(String label) {
        return DashedLabel.fromLabel(PolicyType.class, label);
    }
}
