package dev.relay.mtasts;

import dev.relay.outcome.Cause;
import java.util.Objects;

/**
 * One MX host that did not meet the recipient domain's policy, for logs, metrics and TLS
 * reports.
 *
 * @param domain the recipient (policy) domain
 * @param mxHost the MX host concerned; empty when the policy itself could not be determined
 * @param cause the RFC 8460 result type ({@link Cause#CERTIFICATE_HOST_MISMATCH}, ...) or ours,
 *     {@link Cause#MX_MISMATCH} for a host the policy does not list,
 *     {@link Cause#STS_POLICY_UNAVAILABLE} when the policy could not be found out
 * @param detail one line saying what went wrong
 * @param enforced true when the policy is enforced and the host was skipped; false in testing
 *     mode, where the mail went anyway
 */
public record PolicyFailure(String domain, String mxHost, Cause cause, String detail, boolean enforced) {

    public PolicyFailure {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
    }

    /** The label logs and metrics use, e.g. {@code certificate-expired}. */
    public String resultType() {
        return cause.label();
    }
}
