package dev.relay.mtasts;

/**
 * Hears what {@link MtaStsPolicies} does, for metrics and alerts. Every method has a no-op
 * default. Called on DNS, event loop or executor threads: keep it quick and never throw (a
 * listener that throws is logged and otherwise ignored).
 */
public interface MtaStsEvents {

    MtaStsEvents NONE = new MtaStsEvents() {};

    /**
     * One policy fetch ended, for {@code relay_mtasts_policy_fetches_total{result}}.
     *
     * @param result {@code ok} or a {@link FetchFailure#label()} ({@code invalid_policy} when
     *     the body did not parse)
     */
    default void policyFetched(String result) {}

    /**
     * A lookup applied a policy (any mode; {@code none} is reported to the caller as no policy).
     *
     * @param fromCache whether the policy came from the cache rather than a fetch for this lookup
     */
    default void policyUsed(String domain, PolicyMode mode, boolean fromCache) {}

    /**
     * A background or forced refresh of a cached policy failed; the cached policy stays in
     * force until it expires. Not called for a cached policy in mode {@code none}
     * (RFC 8461 section 10.2: nothing to alert about).
     */
    default void refreshFailed(String domain, String reason) {}

    /**
     * A fetch found a different policy under the id already cached: the domain changed its policy
     * (its MX hosts, mode or max_age) without a new TXT id, so senders that do not refetch keep
     * the old one until it expires. The new one is adopted (a refresh is a fetch).
     */
    default void stalePolicy(String domain, String id) {}
}
