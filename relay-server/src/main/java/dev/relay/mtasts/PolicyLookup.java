package dev.relay.mtasts;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link MtaStsPolicies#policyFor} found for one recipient domain. Delivery maps it as
 * follows: {@link Active} goes through {@link PolicyDecision}; {@link NoPolicy} is delivery as
 * without MTA-STS; {@link Unavailable} defers the recipients (4.4.3), because a DNS outage must
 * never be read as "no policy".
 */
public sealed interface PolicyLookup {

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
     */
    record Active(String domain, Policy policy, String id, Instant fetchedAt, Instant expiresAt, boolean fromCache)
            implements PolicyLookup {
        public Active {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(fetchedAt, "fetchedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * Deliver as without a policy: no STSv1 TXT record and nothing cached; a TXT record but the
     * fetch failed (or gave an invalid policy) and nothing cached (RFC 8461 section 5.1); or
     * the policy in force is mode {@code none}.
     *
     * @param why one plain sentence for the log and the diagnostic
     */
    record NoPolicy(String why) implements PolicyLookup {
        public NoPolicy {
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * The TXT lookup failed temporarily (SERVFAIL, timeout) and nothing is cached: whether the
     * domain has a policy is unknown, so delivery must wait.
     */
    record Unavailable(String reason) implements PolicyLookup {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
