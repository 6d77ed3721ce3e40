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

    /** MTA-STS as the policy source: what {@link MtaStsPolicies} finds. */
    static DomainPolicies mtaSts(MtaStsPolicies policies) {
        return policies::policyFor;
    }
}
