package dev.relay.outcome;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attempt came to for one recipient. A switch over it must handle all three; each
 * carries the reply, whose verdict it was, and the TLS facts; a failure also its cause.
 */
public sealed interface Outcome {

    Reply reply();

    Source source();

    TlsFacts tls();

    /** The MX host whose reply this is; empty for the relay's own verdicts. */
    default Optional<String> remoteMta() {
        return source().remoteHost();
    }

    /** The same outcome under the policy that governed it (the walk over a domain's hosts knows it, a transaction does not). */
    default Outcome underPolicy(AppliedPolicy policy) {
        TlsFacts tls = tls().withPolicy(policy);
        if (tls.equals(tls())) {
            return this;
        }
        return switch (this) {
            case Delivered d -> new Delivered(d.reply(), d.source(), tls);
            case Deferred d -> new Deferred(d.reply(), d.source(), tls, d.cause(), d.hosts());
            case Failed f -> new Failed(f.reply(), f.source(), tls, f.cause(), f.hosts(), f.expired());
        };
    }

    /** Accepted by the next hop. */
    record Delivered(Reply reply, Source source, TlsFacts tls) implements Outcome {
        public Delivered {
            requireFacts(reply, source, tls, "delivered", true);
        }
    }

    /**
     * A temporary failure: the recipient is tried again.
     *
     * @param hosts the hosts that failed and why, when the cause concerns several (an MTA-STS policy no host met)
     */
    record Deferred(Reply reply, Source source, TlsFacts tls, Cause cause, List<HostProblem> hosts) implements Outcome {
        public Deferred {
            requireFacts(reply, source, tls, "deferred", false);
            Objects.requireNonNull(cause, "cause");
            hosts = List.copyOf(hosts);
        }

        public Deferred(Reply reply, Source source, TlsFacts tls, Cause cause) {
            this(reply, source, tls, cause, List.of());
        }

        /** What the queue makes of this deferral when the message outlived the queue lifetime. */
        public Failed expire() {
            return new Failed(reply, source, tls, cause, hosts, true);
        }
    }

    /**
     * A permanent failure, or the end of the queue lifetime.
     *
     * @param expired true when the queue gave up ({@code reply} and {@code cause} are then the
     *     last attempt's, which was temporary); false for a permanent verdict
     */
    record Failed(Reply reply, Source source, TlsFacts tls, Cause cause, List<HostProblem> hosts, boolean expired)
            implements Outcome {
        public Failed {
            requireFacts(reply, source, tls, "failed", false);
            Objects.requireNonNull(cause, "cause");
            hosts = List.copyOf(hosts);
            if (!expired && !reply.isPermanent()) {
                throw new IllegalArgumentException("a permanent failure needs a 5xx reply: " + reply);
            }
        }

        public Failed(Reply reply, Source source, TlsFacts tls, Cause cause) {
            this(reply, source, tls, cause, List.of(), false);
        }

        /** The RFC 3463 status of the failure: 4.4.7 for an expiry, the reply's own otherwise. */
        public EnhancedStatus status() {
            return expired ? EnhancedStatus.DELIVERY_TIME_EXPIRED : reply.status();
        }
    }

    /** The facts every outcome carries, and a reply whose class fits the kind. */
    private static void requireFacts(Reply reply, Source source, TlsFacts tls, String kind, boolean positive) {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tls, "tls");
        if (reply.isPositive() != positive) {
            throw new IllegalArgumentException(kind + " with a " + (positive ? "failure" : "success") + " reply: " + reply);
        }
    }
}
