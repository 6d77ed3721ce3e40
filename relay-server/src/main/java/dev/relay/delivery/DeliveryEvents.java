package dev.relay.delivery;

import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.HostProblem;
import dev.relay.label.LowerCaseLabel;
import java.time.Duration;
import java.util.Optional;

/**
 * What delivery tells the outside (metrics) as it happens. Called on the scheduler's worker
 * thread, and {@link #finished} for a message whose recipients were all delivered on the spool's
 * thread (see {@code DeliveryScheduler}): keep it quick, thread-safe, and never throw. All
 * methods default to no-ops.
 */
public interface DeliveryEvents {
    DeliveryEvents NONE = new DeliveryEvents() {};

    /**
     * One recipient's attempt ended: one call per recipient per connection tried (the same
     * unit as a line of the attempt log), also when DNS decided it without a connection.
     *
     * @param mtaStsMode the destination's policy mode: {@code enforce}, {@code testing} or
     *     {@code none} (also without a policy)
     */
    default void attempted(Result result, Tls tls, String mtaStsMode) {}

    /**
     * An MX host failed its domain's MTA-STS policy: skipped under enforce, or delivered to anyway
     * under testing ({@link PolicyFailure#enforced()} tells which).
     */
    default void policyFailed(PolicyFailure failure) {}

    /**
     * An MX host governed by DANE was checked: once per connection to it, and once per skip.
     *
     * @param failure empty when the host met its DANE policy; else the problem, whose cause is the
     *     RFC 8460 result type ({@code tlsa-invalid}, {@code dnssec-invalid},
     *     {@code starttls-not-supported}, {@code certificate-host-mismatch}, ...)
     */
    default void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {}

    /** A recipient reached its final outcome, {@code sinceAccepted} after the message arrived. */
    default void finished(Outcome outcome, Duration sinceAccepted) {}

    /**
     * An outbound TLS session was established (counted once per connection, not per message
     * carried on it).
     *
     * @param protocol as negotiated, e.g. {@code TLSv1.3}
     * @param verified whether the certificate chained to a trusted root and matched the MX name
     */
    default void tlsSession(String protocol, boolean verified) {}

    /**
     * A message carrying REQUIRETLS (RFC 8689) was accepted, or one attempt of it at one domain
     * ended: see {@link RequireTls}.
     */
    default void requireTls(RequireTls outcome) {}

    /** A message with {@code TLS-Required: No} (RFC 8689 section 4.2.2) was about to go to one domain. */
    default void tlsRequiredNo(TlsRequiredNo outcome) {}

    /** Tells {@code first}, then {@code second}, of every event. */
    static DeliveryEvents both(DeliveryEvents first, DeliveryEvents second) {
        return new DeliveryEvents() {
            @Override
            public void attempted(Result result, Tls tls, String mtaStsMode) {
                first.attempted(result, tls, mtaStsMode);
                second.attempted(result, tls, mtaStsMode);
            }

            @Override
            public void policyFailed(PolicyFailure failure) {
                first.policyFailed(failure);
                second.policyFailed(failure);
            }

            @Override
            public void finished(Outcome outcome, Duration sinceAccepted) {
                first.finished(outcome, sinceAccepted);
                second.finished(outcome, sinceAccepted);
            }

            @Override
            public void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {
                first.daneChecked(domain, mxHost, failure);
                second.daneChecked(domain, mxHost, failure);
            }

            @Override
            public void tlsSession(String protocol, boolean verified) {
                first.tlsSession(protocol, verified);
                second.tlsSession(protocol, verified);
            }

            @Override
            public void requireTls(RequireTls outcome) {
                first.requireTls(outcome);
                second.requireTls(outcome);
            }

            @Override
            public void tlsRequiredNo(TlsRequiredNo outcome) {
                first.tlsRequiredNo(outcome);
                second.tlsRequiredNo(outcome);
            }
        };
    }

    /** How one attempt ended for one recipient. */
    enum Result implements LowerCaseLabel {
        DELIVERED,
        /** A temporary failure: tried again later (or expired, which {@link #finished} tells). */
        DEFERRED,
        /** A permanent failure from the server or DNS. */
        FAILED
    }

    /** What protected the attempt. */
    enum Tls implements LowerCaseLabel {
        /** Plain text, or no connection at all. */
        NONE,
        /** Encrypted, but the certificate was not verified (opportunistic TLS accepts any). */
        TLS,
        /** Encrypted with a certificate that chains to a trusted root and matches the MX name. */
        VERIFIED
    }

    /** How a recipient left the queue. */
    enum Outcome implements LowerCaseLabel {
        DELIVERED,
        /** A permanent failure: a DSN goes to the sender. */
        BOUNCED,
        /** Still failing temporarily when the queue lifetime ended: a DSN goes to the sender. */
        EXPIRED
    }

    /** The {@code outcome} of {@code relay_requiretls_messages_total}. */
    enum RequireTls implements LowerCaseLabel {
        /** The listener accepted a message with {@code MAIL FROM:<...> REQUIRETLS}. */
        ACCEPTED,
        /** An attempt at a domain delivered, over authenticated TLS, with REQUIRETLS passed on. */
        DELIVERED,
        /** An attempt ended temporarily: retried later. */
        DEFERRED,
        /** REQUIRETLS could not be met at any MX host: 5.7.30, bounced. */
        REFUSED,
        /** A permanent failure for another reason (the server refused the recipient, say). */
        FAILED
    }

    /** The {@code outcome} of {@code relay_tls_required_no_total}. */
    enum TlsRequiredNo implements LowerCaseLabel {
        /** The domain's TLS policies were ignored for the message: opportunistic TLS. */
        HONOURED,
        /** {@code delivery.honour-tls-required-no: false}: the domain's policy applied. */
        REFUSED,
        /** The message also carries REQUIRETLS, which wins (RFC 8689 section 4.1). */
        OVERRIDDEN
    }
}
