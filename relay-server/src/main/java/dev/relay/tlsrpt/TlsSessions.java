package dev.relay.tlsrpt;

import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.tlsrpt.TlsSession.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the sessions TLS reporting counts out of a delivery attempt's typed outcome. The rules:
 * <ul>
 *   <li>A TLS cause ({@link Cause.Kind#TLS}) is a failure of that result type, at the remote host
 *       of the outcome's source; when the outcome lists the hosts that failed, one failure per
 *       host with a TLS cause.</li>
 *   <li>Our own policy causes are reported under the nearest RFC 8460 type: an MX host no
 *       {@code mx} pattern matches is {@code validation-failure} with the reason code
 *       {@code mx-mismatch}; a policy that could not be had is {@code sts-policy-fetch-error};
 *       {@code sts-policy-not-met} is its hosts' failures.</li>
 *   <li>Otherwise, when TLS was negotiated, the session is a success (a later 5xx for a recipient
 *       is the server's verdict, not a TLS failure), unless an MTA-STS policy applied and the
 *       certificate was not verified: then it is a {@code validation-failure}.</li>
 *   <li>Delivered without TLS: the server offered no STARTTLS ({@code starttls-not-supported}).</li>
 *   <li>Any other outcome (DNS, connection, a reply before STARTTLS) had no TLS session to report:
 *       nothing is counted.</li>
 * </ul>
 * A testing-mode policy lets mail through a failed check: the outcome is then "delivered", so
 * delivery reports that failure itself with {@link TlsSession#failure} and the precise cause.
 */
public final class TlsSessions {

    static final String MX_MISMATCH_CODE = "mx-mismatch";

    private TlsSessions() {}

    public static List<TlsSession> fromOutcome(String policyDomain, SessionPolicy policy, Outcome outcome) {
        Optional<Cause> cause = switch (outcome) {
            case Outcome.Delivered d -> Optional.empty();
            case Outcome.Deferred d -> Optional.of(d.cause());
            case Outcome.Failed f -> Optional.of(f.cause());
        };
        List<HostProblem> hosts = switch (outcome) {
            case Outcome.Delivered d -> List.of();
            case Outcome.Deferred d -> d.hosts();
            case Outcome.Failed f -> f.hosts();
        };
        if (cause.isPresent() && cause.get().isTlsPolicy()) {
            return failures(policyDomain, policy, cause.get(), hosts, outcome.source());
        }
        if (outcome.tls().session().isPresent()) {
            boolean verified = outcome.tls().session().get().verified();
            if (policy.type() == PolicyType.STS && !verified) {
                return List.of(TlsSession.failure(policyDomain, policy, at(Failure.of(Cause.VALIDATION_FAILURE), outcome.source())));
            }
            return List.of(TlsSession.success(policyDomain, policy));
        }
        if (outcome instanceof Outcome.Delivered) {
            return List.of(TlsSession.failure(policyDomain, policy,
                    at(Failure.of(Cause.STARTTLS_NOT_SUPPORTED), outcome.source())));
        }
        return List.of();
    }

    private static List<TlsSession> failures(String domain, SessionPolicy policy, Cause cause, List<HostProblem> hosts,
            Source source) {
        List<TlsSession> sessions = new ArrayList<>();
        if (!hosts.isEmpty()) {
            for (HostProblem host : hosts) {
                reported(host.cause()).ifPresent(failure -> sessions.add(TlsSession.failure(domain, policy,
                        failure.withReceivingMx(host.host(), Optional.empty()))));
            }
            return sessions;
        }
        reported(cause).ifPresent(failure -> sessions.add(TlsSession.failure(domain, policy, at(failure, source))));
        return sessions;
    }

    /** The RFC 8460 failure a cause is reported as, if any. */
    public static Optional<Failure> reported(Cause cause) {
        if (cause.tlsReportResultType().isPresent()) {
            return Optional.of(Failure.of(cause));
        }
        return switch (cause) {
            case MX_MISMATCH -> Optional.of(Failure.of(Cause.VALIDATION_FAILURE).withFailureReasonCode(MX_MISMATCH_CODE));
            case STS_POLICY_UNAVAILABLE -> Optional.of(Failure.of(Cause.STS_POLICY_FETCH_ERROR));
            default -> Optional.empty();
        };
    }

    private static Failure at(Failure failure, Source source) {
        return switch (source) {
            case Source.Remote remote -> failure.withReceivingMx(remote.host(), remote.address());
            case Source.Local local -> failure;
        };
    }
}
