package dev.relay.delivery;

import dev.relay.mtasts.HostVerdict;
import dev.relay.outcome.AppliedPolicy;
import dev.relay.mtasts.Policy;
import dev.relay.mtasts.PolicyDecision;
import dev.relay.mtasts.PolicyMode;
import java.util.Objects;
import java.util.Optional;

/**
 * What the recipient domain's published policy (MTA-STS, RFC 8461) demands of one delivery
 * attempt. Looked up once per domain per attempt, before the MX walk.
 */
public sealed interface DomainPolicy {

    /** The policy in force, as outcomes record it. */
    AppliedPolicy applied();

    /** The metric and log label of the mode in force: {@code enforce}, {@code testing} or {@code none}. */
    default String mode() {
        return applied().mtaStsMode();
    }

    /** The verdict on one MX host (name as DNS gave it). */
    HostVerdict forHost(String mxHost);

    /** No policy, or one in mode none: opportunistic TLS everywhere, as any MTA would. */
    static DomainPolicy none() {
        return NoPolicy.INSTANCE;
    }

    record NoPolicy() implements DomainPolicy {
        private static final NoPolicy INSTANCE = new NoPolicy();

        @Override
        public AppliedPolicy applied() {
            return AppliedPolicy.NONE;
        }

        @Override
        public HostVerdict forHost(String mxHost) {
            return PolicyDecision.forHost("", Optional.empty(), mxHost);
        }
    }

    /**
     * Whether a policy exists could not be found out (the TXT lookup failed and nothing is
     * cached). Delivering as if there were none would let anyone who can break DNS answers
     * downgrade the mail, so the attempt defers instead.
     */
    record Undetermined(String reason) implements DomainPolicy {
        public Undetermined {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public AppliedPolicy applied() {
            return AppliedPolicy.NONE;
        }

        @Override
        public HostVerdict forHost(String mxHost) {
            return new HostVerdict.Refused("the MTA-STS policy could not be determined: " + reason);
        }
    }

    /** A policy in mode enforce or testing. */
    record Published(String domain, Policy policy) implements DomainPolicy {
        public Published {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(policy, "policy");
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
}
