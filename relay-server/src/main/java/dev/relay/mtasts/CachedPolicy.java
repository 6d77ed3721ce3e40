package dev.relay.mtasts;

import java.time.Instant;
import java.util.Objects;

/**
 * A policy as this package keeps it, in memory and on disk: parsed, and with the raw text it
 * came from (what is persisted and parsed again at start).
 *
 * @param domain the policy domain, normalized
 * @param id the TXT record's id the policy was fetched under
 * @param fetchedAt when the fetch completed; max_age counts from here (RFC 8461 section 3.2)
 * @param text the body as served
 */
record CachedPolicy(String domain, String id, Instant fetchedAt, String text, Policy policy) {

    CachedPolicy {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(policy, "policy");
    }

    Instant expiresAt() {
        return fetchedAt.plus(policy.maxAge());
    }

    boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt());
    }
}
