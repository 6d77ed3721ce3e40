package dev.relay.mtasts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One domain as {@link MtaStsPolicies#snapshot()} sees it, for the status page, the
 * diagnostic and the {@code relay_mtasts_policies_cached{mode}} gauge. The policy fields are
 * all present or all empty (a domain known only from a failed fetch has no policy).
 *
 * @param lastFetch the latest fetch this process made for the domain, if any
 */
public record PolicyStatus(
        String domain,
        Optional<PolicyMode> mode,
        Optional<String> id,
        Optional<Instant> fetchedAt,
        Optional<Instant> expiresAt,
        Optional<LastFetch> lastFetch) {

    public PolicyStatus {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastFetch, "lastFetch");
    }

    /**
     * @param result {@code ok} or a {@link FetchFailure#label()}
     * @param detail {@code mode enforce, max_age 86400} or the failure's detail
     * @param at when the fetch ended
     */
    public record LastFetch(String result, String detail, Instant at) {
        public LastFetch {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(at, "at");
        }
    }
}
