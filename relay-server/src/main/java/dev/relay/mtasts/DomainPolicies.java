package dev.relay.mtasts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the policy a recipient domain publishes: where MTA-STS (and later DANE) plugs into
 * delivery. Stages must not complete exceptionally.
 */
@FunctionalInterface
public interface DomainPolicies {

    /** For relays with MTA-STS switched off: every domain gets opportunistic TLS. */
    DomainPolicies NONE = domain -> CompletableFuture.completedFuture(DomainPolicy.none());

    CompletionStage<DomainPolicy> policyFor(String domain);

    /**
     * Asked when none of the domain's MX hosts ({@code mxHosts}, as DNS gives them now) matches
     * the policy {@link #policyFor} gave from a cache: a source that can may look again (see
     * {@link MtaStsPolicies#recheck}). By default the same as {@link #policyFor}.
     */
    default CompletionStage<DomainPolicy> recheck(String domain, java.util.List<String> mxHosts) {
        return policyFor(domain);
    }

    /** MTA-STS as the policy source: what {@link MtaStsPolicies} finds. */
    static DomainPolicies mtaSts(MtaStsPolicies policies) {
        return new DomainPolicies() {
            @Override
            public CompletionStage<DomainPolicy> policyFor(String domain) {
                return policies.policyFor(domain);
            }

            @Override
            public CompletionStage<DomainPolicy> recheck(String domain, java.util.List<String> mxHosts) {
                return policies.recheck(domain, mxHosts);
            }
        };
    }
}
