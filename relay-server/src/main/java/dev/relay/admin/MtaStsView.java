package dev.relay.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the status page shows about MTA-STS: the cached policies and the latest enforcement
 * failures. The MTA-STS service implements it; without one the page shows empty tables.
 */
public interface MtaStsView {

    MtaStsView NONE = new MtaStsView() {};

    /** Every cached policy, in the order the page should list them. */
    default List<PolicyRow> policies() {
        return List.of();
    }

    /** The most recent enforcement failures, newest first; a few dozen at most. */
    default List<EnforcementFailureRow> recentFailures() {
        return List.of();
    }

    /** The latest stale finding of each domain (cached policy out of step with the live one), newest first. */
    default List<StalePolicyRow> stalePolicies() {
        return List.of();
    }

    /**
     * @param at when the relay found it
     * @param domain the policy domain
     * @param id the TXT id of the policy adopted
     * @param what what differed, and that the live policy was adopted
     */
    record StalePolicyRow(Instant at, String domain, String id, String what) {
        public StalePolicyRow {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(what, "what");
        }
    }

    /**
     * One domain the relay knows about: a cached policy, or only a fetch that failed.
     *
     * @param domain the policy domain
     * @param mode enforce, testing or none; empty when no policy is cached
     * @param expires when the cached policy's max_age runs out; empty when none is cached
     * @param lastFetch when this process last fetched (or tried to fetch) the policy
     * @param lastFetchResult what that fetch gave: ok, or a failure such as tls_error
     * @param lastFetchDetail one line about that fetch (the mode and max_age, or what failed)
     */
    record PolicyRow(String domain, Optional<String> mode, Optional<Instant> expires, Optional<Instant> lastFetch,
            Optional<String> lastFetchResult, Optional<String> lastFetchDetail) {
        public PolicyRow {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(expires, "expires");
            Objects.requireNonNull(lastFetch, "lastFetch");
            Objects.requireNonNull(lastFetchResult, "lastFetchResult");
            Objects.requireNonNull(lastFetchDetail, "lastFetchDetail");
        }
    }

    /**
     * @param at when the failure happened
     * @param domain the recipient (policy) domain
     * @param mx the MX host that failed, as the policy saw it
     * @param reason an RFC 8460 result type or ours (mx-mismatch, sts-policy-unavailable), with detail
     */
    record EnforcementFailureRow(Instant at, String domain, String mx, String reason) {
        public EnforcementFailureRow {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(mx, "mx");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
