package dev.relay.mtasts;

import dev.relay.tls.TlsRequirement;
import java.util.Objects;

/** Whether delivery may try one MX host, and with how much TLS; see {@link PolicyDecision}. */
public sealed interface HostVerdict {

    /**
     * The host may be tried with this TLS requirement. {@code policyMatched} is false only under a
     * testing policy that does not list the host: the caller delivers but logs and counts the
     * failure enforce would have caused.
     */
    record Allowed(TlsRequirement tls, boolean policyMatched) implements HostVerdict {
        public Allowed {
            Objects.requireNonNull(tls, "tls");
        }
    }

    /** An enforce policy does not list the host: never deliver there. The reason names both. */
    record Refused(String reason) implements HostVerdict {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
