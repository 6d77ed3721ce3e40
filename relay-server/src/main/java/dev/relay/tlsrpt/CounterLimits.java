package dev.relay.tlsrpt;

/**
 * Bounds on what the session counters hold, so that a flood of domains or of distinct failures
 * cannot grow memory or the counter file without end. What does not fit is counted as dropped,
 * never silently lost.
 *
 * @param maxDomainsPerDay policy domains counted per UTC day; sessions to further domains are
 *     dropped (counted in {@link DayCounts#droppedSessions()})
 * @param maxPoliciesPerDomain distinct policies per domain and day (a policy changes rarely);
 *     sessions under further ones are dropped likewise
 * @param maxFailureRowsPerDomain distinct {@code failure-details} rows per domain and day; a
 *     failure that needs a new row beyond this is still counted in the summary, and in
 *     {@link DomainCounts#droppedFailureRows()}
 * @param maxDays UTC days kept (today and those whose reports are not sent yet); the oldest goes
 */
public record CounterLimits(int maxDomainsPerDay, int maxPoliciesPerDomain, int maxFailureRowsPerDomain, int maxDays) {

    /** About 10 000 domains of a few hundred bytes each: a few MB at most. */
    public static final CounterLimits DEFAULT = new CounterLimits(10_000, 8, 100, 7);

    public CounterLimits {
        if (maxDomainsPerDay < 1 || maxPoliciesPerDomain < 1 || maxFailureRowsPerDomain < 1 || maxDays < 2) {
            throw new IllegalArgumentException("limits must be positive, and at least today and yesterday kept");
        }
    }
}
