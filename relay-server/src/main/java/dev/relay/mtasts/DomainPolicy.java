package dev.relay.mtasts;

import dev.relay.outcome.AppliedPolicy;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The MTA-STS policy of one recipient domain, as {@link MtaStsPolicies#policyFor} found it, and
 * what it demands of each MX host: {@link Active} goes through {@link PolicyDecision};
 * {@link NoPolicy} is delivery as without MTA-STS; {@link Unavailable} defers the recipients
 * (4.4.3), because a DNS outage must never be read as "no policy".
 */
public sealed interface DomainPolicy {

    /**
     * The policy in force, as outcomes record it: none, unless an {@link Active} policy says
     * otherwise (without a policy, and while it is unknown, none is in force).
     */
    default AppliedPolicy applied() {
        return AppliedPolicy.NONE;
    }

    /** The metric and log label of the mode in force: {@code enforce}, {@code testing} or {@code none}. */
    default String mode() {
        return applied().mtaStsMode();
    }

    /** The verdict on one MX host (name as DNS gave it). */
    HostVerdict forHost(String mxHost);

    /** No policy: opportunistic TLS everywhere, as any MTA would. */
    static DomainPolicy none() {
        return NoPolicy.NONE;
    }

    /**
     * A policy in {@code enforce} or {@code testing} mode applies ({@code none} is reported as
     * {@link NoPolicy}).
     *
     * @param domain the policy domain, normalized (lower case, no trailing dot)
     * @param id the TXT id the policy was fetched under
     * @param fetchedAt when it was fetched
     * @param expiresAt {@code fetchedAt + max_age}: the cache keeps it until then
     * @param fromCache true when no fetch happened for this lookup (same id, or the TXT record
     *     gone or failing, or the fetch failing, while an unexpired policy was cached)
     * @param override the local override that made or changed this policy: an {@code enforce}
     *     override (the policy is the override's own, whatever the domain publishes) or a
     *     suspension (the published policy, applied as {@code testing}); empty for the policy
     *     exactly as the domain publishes it. TLS reporting reads the truth from here.
     */
    record Active(String domain, Policy policy, String id, Instant fetchedAt, Instant expiresAt, boolean fromCache,
            Optional<PolicyOverride> override) implements DomainPolicy {
        public Active {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(fetchedAt, "fetchedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(override, "override");
        }

        /** The policy as the domain publishes it, without a local override. */
        public Active(String domain, Policy policy, String id, Instant fetchedAt, Instant expiresAt, boolean fromCache) {
            this(domain, policy, id, fetchedAt, expiresAt, fromCache, Optional.empty());
        }

        public boolean enforced() {
            return policy.mode() == PolicyMode.ENFORCE;
        }

        @Override
        public AppliedPolicy applied() {
            return switch (policy.mode()) {
                case ENFORCE -> AppliedPolicy.MTA_STS_ENFORCE;
                case TESTING -> AppliedPolicy.MTA_STS_TESTING;
                case NONE -> AppliedPolicy.NONE;
            };
        }

        @Override
        public HostVerdict forHost(String mxHost) {
            return PolicyDecision.forHost(domain, Optional.of(policy), mxHost);
        }
    }

    /**
     * Deliver as without a policy: no STSv1 TXT record and nothing cached; a TXT record but the
     * fetch failed (or gave an invalid policy) and nothing cached (RFC 8461 section 5.1); or
     * the policy in force is mode {@code none}.
     *
     * @param why one plain sentence for the log and the diagnostic
     */
    record NoPolicy(String why) implements DomainPolicy {
        private static final NoPolicy NONE = new NoPolicy("MTA-STS is not used");

        public NoPolicy {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public HostVerdict forHost(String mxHost) {
            return PolicyDecision.forHost("", Optional.empty(), mxHost);
        }
    }

    /**
     * The TXT lookup failed temporarily (SERVFAIL, timeout) and nothing is cached: whether the
     * domain has a policy is unknown, so delivery must wait.
     */
    record Unavailable(String reason) implements DomainPolicy {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public HostVerdict forHost(String mxHost) {
            return new HostVerdict.Refused("the MTA-STS policy could not be determined: " + reason);
        }
    }
}
