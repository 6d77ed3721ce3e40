package dev.relay.delivery;

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
}
