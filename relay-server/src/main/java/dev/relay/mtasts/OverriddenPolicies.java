package dev.relay.mtasts;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The domain policies delivery applies: what the domains publish, with the local overrides
 * ({@code tls-policy.overrides}, run-time suspensions) laid over them. This is the one place an
 * override changes a policy; see {@link PolicyOverride} for what each mode does.
 */
public final class OverriddenPolicies implements DomainPolicies {

    /** The TXT id shown for a policy that comes from a local override rather than a fetch. */
    public static final String OVERRIDE_ID = "local-override";

    private final DomainPolicies published;
    private final BiFunction<String, Instant, Optional<PolicyOverride>> overrides;
    private final Clock clock;

    /**
     * @param published the domains' own policies (MTA-STS, or none when it is off)
     * @param overrides the override in force for a domain at a time, if any
     */
    public OverriddenPolicies(DomainPolicies published, BiFunction<String, Instant, Optional<PolicyOverride>> overrides,
            Clock clock) {
        this.published = Objects.requireNonNull(published, "published");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<DomainPolicy> policyFor(String domain) {
        Instant now = clock.instant();
        Optional<PolicyOverride> found = overrides.apply(domain, now);
        if (found.isEmpty()) {
            return published.policyFor(domain);
        }
        PolicyOverride override = found.get();
        return switch (override.mode()) {
            case ENFORCE -> CompletableFuture.completedFuture(required(domain, override, now));
            case TESTING -> published.policyFor(domain).thenApply(policy -> suspended(policy, override));
            case NONE -> CompletableFuture.completedFuture(new DomainPolicy.NoPolicy(override.describe()));
        };
    }

    /** An overridden domain keeps its override; the others may look again. */
    @Override
    public CompletionStage<DomainPolicy> recheck(String domain, java.util.List<String> mxHosts) {
        return overrides.apply(domain, clock.instant()).isPresent() ? policyFor(domain)
                : published.recheck(domain, mxHosts);
    }

    /** An enforce override: an MTA-STS-like policy of the override's own, in force until it ends. */
    static DomainPolicy required(String domain, PolicyOverride override, Instant now) {
        Policy policy = new Policy(PolicyMode.ENFORCE, override.mx(), java.time.Duration.ZERO);
        Instant expires = override.until().orElse(Instant.MAX);
        return new DomainPolicy.Active(domain, policy, OVERRIDE_ID, now, expires, false, Optional.of(override));
    }

    /**
     * A suspension: the published policy is still applied as {@code testing}, so every host is
     * still checked and what fails is logged and counted, but the mail goes. A policy that cannot
     * be determined does not hold the mail either.
     */
    static DomainPolicy suspended(DomainPolicy policy, PolicyOverride override) {
        return switch (policy) {
            case DomainPolicy.Active active -> new DomainPolicy.Active(active.domain(),
                    active.policy().mode() == PolicyMode.ENFORCE
                            ? new Policy(PolicyMode.TESTING, active.policy().mx(), active.policy().maxAge())
                            : active.policy(),
                    active.id(), active.fetchedAt(), active.expiresAt(), active.fromCache(), Optional.of(override));
            case DomainPolicy.NoPolicy none -> none;
            case DomainPolicy.Unavailable unavailable -> new DomainPolicy.NoPolicy(
                    "the MTA-STS policy could not be determined (" + unavailable.reason() + "); "
                            + override.describe());
        };
    }
}
