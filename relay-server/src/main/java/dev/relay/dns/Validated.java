package dev.relay.dns;

import java.util.Objects;

/**
 * A lookup's result with its DNSSEC status. The status is {@link DnssecStatus#BOGUS} or
 * {@link DnssecStatus#ERROR} exactly when the result is a temporary failure.
 *
 * @param result what the lookup found
 * @param status whether DNSSEC proved it
 */
public record Validated<T>(T result, DnssecStatus status) {
    public Validated {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(status, "status");
    }

    public boolean isSecure() {
        return status == DnssecStatus.SECURE;
    }
}
