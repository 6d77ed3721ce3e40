package dev.relay.outcome;

import java.util.Objects;
import java.util.Optional;

/**
 * The TLS side of an attempt: the policy that governed it and, when STARTTLS succeeded, what
 * the session negotiated and whether the certificate was verified.
 *
 * @param policy the policy in force for the destination
 * @param session the negotiated session; empty when there was none (no STARTTLS, no connection)
 */
public record TlsFacts(AppliedPolicy policy, Optional<Session> session) {

    private static final TlsFacts NONE = new TlsFacts(AppliedPolicy.NONE, Optional.empty());

    public TlsFacts {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(session, "session");
    }

    /** No policy, no TLS: what a decision made before any connection carries. */
    public static TlsFacts none() {
        return NONE;
    }

    public static TlsFacts without(AppliedPolicy policy) {
        return policy == AppliedPolicy.NONE ? NONE : new TlsFacts(policy, Optional.empty());
    }

    public TlsFacts withPolicy(AppliedPolicy newPolicy) {
        return newPolicy == policy ? this : new TlsFacts(newPolicy, session);
    }

    /**
     * @param protocol e.g. {@code TLSv1.3}
     * @param cipher e.g. {@code TLS_AES_128_GCM_SHA256}
     * @param verified whether the certificate chain and name were verified
     */
    public record Session(String protocol, String cipher, boolean verified) {
        public Session {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(cipher, "cipher");
            if (protocol.isBlank() || protocol.contains(" ") || cipher.isBlank() || cipher.contains(" ")) {
                throw new IllegalArgumentException("protocol and cipher are single words");
            }
        }
    }
}
