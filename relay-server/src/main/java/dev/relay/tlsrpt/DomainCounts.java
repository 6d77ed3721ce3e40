package dev.relay.tlsrpt;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One policy domain's sessions on one UTC day: what one report says.
 *
 * @param droppedFailureRows failures counted in a summary whose own row did not fit under
 *     {@link CounterLimits#maxFailureRowsPerDomain()}
 */
public record DomainCounts(LocalDate day, String domain, List<PolicyCounts> policies, long droppedFailureRows) {

    public DomainCounts {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(domain, "domain");
        policies = List.copyOf(policies);
    }

    public long successes() {
        return policies.stream().mapToLong(PolicyCounts::successes).sum();
    }

    public long failures() {
        return policies.stream().mapToLong(PolicyCounts::failures).sum();
    }

    /** The sessions under one policy: the summary and the failure rows, in first-seen order. */
    public record PolicyCounts(SessionPolicy policy, long successes, long failures, List<FailureCount> failureRows) {
        public PolicyCounts {
            Objects.requireNonNull(policy, "policy");
            failureRows = List.copyOf(failureRows);
        }
    }

    /** One §4.4 failure group and how many sessions fell in it. */
    public record FailureCount(TlsSession.Failure failure, long count) {
        public FailureCount {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
