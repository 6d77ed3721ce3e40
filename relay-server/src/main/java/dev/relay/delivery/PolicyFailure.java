package dev.relay.delivery;

import java.util.Objects;

/**
 * One MX host that did not meet the recipient domain's policy, for logs, metrics and TLS
 * reports.
 *
 * @param domain the recipient (policy) domain
 * @param mxHost the MX host concerned; empty when the policy itself could not be determined
 * @param resultType the RFC 8460 result type ({@code certificate-host-mismatch}, ...) or ours,
 *     {@code mx-mismatch} for a host the policy does not list
 * @param detail one line saying what went wrong
 * @param enforced true when the policy is enforced and the host was skipped; false in testing
 *     mode, where the mail went anyway
 */
public record PolicyFailure(String domain, String mxHost, String resultType, String detail, boolean enforced) {

    /** Ours: the MX host does not match any {@code mx} pattern of the policy. */
    public static final String MX_MISMATCH = "mx-mismatch";

    /** Ours: whether the domain has a policy could not be found out, and nothing is cached. */
    public static final String POLICY_UNAVAILABLE = "sts-policy-unavailable";

    public PolicyFailure {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(detail, "detail");
    }
}
