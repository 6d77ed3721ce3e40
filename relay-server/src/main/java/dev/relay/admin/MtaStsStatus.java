package dev.relay.admin;

import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyStatus;
import dev.relay.mtasts.StalePolicy;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The status page's MTA-STS tables from the running service: the policy cache's snapshot
 * (supplied, so a relay with MTA-STS off shows an empty one) and the recent failures.
 */
public final class MtaStsStatus implements MtaStsView {

    private final Supplier<List<PolicyStatus>> snapshot;
    private final RecentEnforcementFailures failures;
    private final Supplier<List<StalePolicy>> stale;

    public MtaStsStatus(Supplier<List<PolicyStatus>> snapshot, RecentEnforcementFailures failures) {
        this(snapshot, failures, List::of);
    }

    /** @param stale the service's stale findings ({@code MtaStsPolicies.stalePolicies}) */
    public MtaStsStatus(Supplier<List<PolicyStatus>> snapshot, RecentEnforcementFailures failures,
            Supplier<List<StalePolicy>> stale) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.stale = Objects.requireNonNull(stale, "stale");
    }

    @Override
    public List<StalePolicyRow> stalePolicies() {
        return stale.get().stream().map(s -> new StalePolicyRow(s.at(), s.domain(), s.id(), s.what())).toList();
    }

    @Override
    public List<PolicyRow> policies() {
        return snapshot.get().stream().map(MtaStsStatus::row).toList();
    }

    @Override
    public List<EnforcementFailureRow> recentFailures() {
        return failures.newestFirst();
    }

    private static PolicyRow row(PolicyStatus status) {
        return new PolicyRow(status.domain(), status.mode().map(PolicyMode::label), status.expiresAt(),
                status.lastFetch().map(PolicyStatus.LastFetch::at), status.lastFetch().map(PolicyStatus.LastFetch::result),
                status.lastFetch().map(PolicyStatus.LastFetch::detail));
    }
}
