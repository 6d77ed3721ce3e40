package dev.relay.admin;

import dev.relay.delivery.DeliveryEvents;
import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest MTA-STS enforcement failures and DANE failures, for the status page: delivery hands each one over as
 * it happens (as {@link DeliveryEvents#policyFailed}, quick and never throwing), the page
 * reads them newest first. Only the last {@code capacity} are kept.
 */
public final class RecentEnforcementFailures implements DeliveryEvents {

    public static final int DEFAULT_CAPACITY = 50;

    private final Clock clock;
    private final int capacity;
    private final Deque<MtaStsView.EnforcementFailureRow> rows = new ArrayDeque<>();

    public RecentEnforcementFailures(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void policyFailed(PolicyFailure failure) {
        String mx = failure.mxHost().isEmpty() ? "(no MX: policy unknown)" : failure.mxHost();
        String reason = (failure.cause() == Cause.STS_POLICY_UNAVAILABLE
                ? "policy unknown" + (failure.enforced() ? " (deferred)" : " (delivered without a policy)")
                : failure.resultType() + (failure.enforced() ? "" : " (testing: delivered anyway)"))
                + (failure.detail().isEmpty() ? "" : ": " + failure.detail());
        add(new MtaStsView.EnforcementFailureRow(clock.instant(), failure.domain(), mx, reason));
    }

    private void add(MtaStsView.EnforcementFailureRow row) {
        synchronized (rows) {
            rows.addFirst(row);
            if (rows.size() > capacity) {
                rows.removeLast();
            }
        }
    }

    /** A host DANE governs that failed it: listed like an MTA-STS enforcement failure, marked DANE. */
    @Override
    public void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {
        failure.ifPresent(problem -> add(new MtaStsView.EnforcementFailureRow(clock.instant(), domain, mxHost,
                "DANE " + problem.cause().label() + ": " + problem.detail())));
    }

    /** Newest first. */
    public List<MtaStsView.EnforcementFailureRow> newestFirst() {
        synchronized (rows) {
            return List.copyOf(new ArrayList<>(rows));
        }
    }
}
