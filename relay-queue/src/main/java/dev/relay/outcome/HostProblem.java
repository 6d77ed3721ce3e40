package dev.relay.outcome;

import java.util.Objects;

/**
 * One MX host that did not take the mail, within an outcome that gives up on all of them (an
 * MTA-STS policy no host could meet). The DSN and TLS reports list them.
 *
 * @param host the MX host name
 * @param cause why that host failed
 * @param detail one line for people, e.g. the certificate problem in words
 */
public record HostProblem(String host, Cause cause, String detail) {
    public HostProblem {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
        if (host.isEmpty() || host.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("not a host name: " + host);
        }
    }
}
