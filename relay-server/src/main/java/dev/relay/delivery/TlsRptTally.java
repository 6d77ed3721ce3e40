package dev.relay.delivery;

import dev.relay.dane.TlsaRecord;
import dev.relay.dane.TlsaRecords;
import dev.relay.mtasts.DomainPolicy;
import dev.relay.mtasts.MxPattern;
import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.smtp.client.SessionInfo;
import dev.relay.tlsrpt.SessionPolicy;
import dev.relay.tlsrpt.SessionSink;
import dev.relay.tlsrpt.TlsSession;
import dev.relay.tlsrpt.TlsSessions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns one domain delivery's events into the sessions TLS reporting counts (RFC 8460), beside
 * the {@link AttemptRecorder} that logs them. One per message and domain, like the walk itself.
 * <ul>
 *   <li>Each new connection that reached a verdict is one session, judged by
 *       {@link TlsSessions#fromOutcome} under the domain's policy; a connection reused for the next
 *       message is the same TLS session and is not counted again.</li>
 *   <li>A host the enforced policy ruled out ({@code mx} patterns) is a failure without a
 *       connection: the domain wants to hear of it.</li>
 *   <li>Under a testing policy the mail goes despite a failed check: the check's own cause makes
 *       the session a failure although the outcome says delivered.</li>
 *   <li>A policy that could not be determined (DNS failing) is not counted: no session happened
 *       and nobody knows whether the domain has a policy at all.</li>
 *   <li>A host DANE governs ({@link HostPlan#policy()} is DANE) has its sessions counted under
 *       its own {@code tlsa} policy, its TLSA records, not under the domain's MTA-STS policy: DANE
 *       governs host by host, so one domain can have both in a day's report. A host DANE rules out
 *       (its records fail DNSSEC validation) is a {@code dnssec-invalid} failure without a
 *       connection.</li>
 * </ul>
 */
final class TlsRptTally implements DomainDelivery.Listener {

    private final String domain;
    private final SessionSink sink;
    private SessionPolicy policy = SessionPolicy.none();
    /** The {@code tlsa} policy of each host DANE governs, by host name; other hosts go by {@link #policy}. */
    private final Map<String, SessionPolicy> danePolicies = new HashMap<>(2);
    /** Testing-mode failures of the host about to be (or being) tried, by host name. */
    private final Map<String, PolicyFailure> testingFailures = new HashMap<>(2);

    private TlsRptTally(String domain, SessionSink sink) {
        this.domain = domain;
        this.sink = sink;
    }

    /** {@code first} as it was, then the tally of the sessions to {@code domain}. */
    static DomainDelivery.Listener alongside(DomainDelivery.Listener first, String domain, SessionSink sink) {
        return DomainDelivery.Listener.both(first, new TlsRptTally(domain, sink));
    }

    @Override
    public void policyApplied(DomainPolicy applied) {
        policy = switch (applied) {
            case DomainPolicy.Active active -> SessionPolicy.sts(active.policy().toText(),
                    active.policy().mx().stream().map(MxPattern::pattern).toList());
            case DomainPolicy.NoPolicy none -> SessionPolicy.none();
            case DomainPolicy.Unavailable unknown -> SessionPolicy.none();
        };
    }

    @Override
    public void hostPlanned(String mxHost, DaneHost dane, HostPlan plan) {
        if (!plan.policy().isDane()) {
            danePolicies.remove(mxHost);
            return;
        }
        SessionPolicy hostPolicy = SessionPolicy.tlsa(mxHost, recordsOf(dane));
        danePolicies.put(mxHost, hostPolicy);
        if (plan instanceof HostPlan.Skip skip) {
            // never connected: a DANE failure at the host (its TLS failures are counted with their attempts)
            failureOf(skip.cause()).ifPresent(f -> sink.record(
                    TlsSession.failure(domain, hostPolicy, f.withReceivingMx(mxHost, Optional.empty()))));
        }
    }

    /** The host's TLSA RRset as the report names it: every record, usable or not, in presentation form. */
    private static List<String> recordsOf(DaneHost dane) {
        Stream<TlsaRecord> records = switch (dane) {
            case DaneHost.Verify verify -> Stream.concat(verify.records().records().stream(),
                    verify.records().ignored().stream().map(TlsaRecords.Unusable::record));
            case DaneHost.EncryptOnly encrypt -> encrypt.records().ignored().stream().map(TlsaRecords.Unusable::record);
            case DaneHost.Unverifiable unverifiable -> Stream.empty(); // none that can be trusted
            case DaneHost.NotApplicable none -> Stream.empty();
        };
        return records.map(TlsaRecord::toString).toList();
    }

    @Override
    public void policyFailed(PolicyFailure failure) {
        if (failure.cause() == Cause.STS_POLICY_UNAVAILABLE || failure.mxHost().isEmpty()) {
            return;
        }
        if (!failure.enforced()) {
            testingFailures.put(failure.mxHost(), failure);
        } else if (failure.cause() == Cause.MX_MISMATCH) {
            // skipped without a connection; an enforced TLS failure is counted with its attempt
            failureOf(failure.cause()).ifPresent(f -> sink.record(
                    TlsSession.failure(domain, policy, f.withReceivingMx(failure.mxHost(), Optional.empty()))));
        }
    }

    @Override
    public void attempted(SessionInfo session, List<Outcome> results, List<Integer> indexes) {
        if (session.connectionUse() > 1 || results.isEmpty()) {
            return;
        }
        String host = session.destination().mxHost();
        Optional<String> ip = Optional.ofNullable(session.destination().address().getAddress())
                .map(java.net.InetAddress::getHostAddress);
        SessionPolicy hostPolicy = danePolicies.getOrDefault(host, policy);
        PolicyFailure testing = danePolicies.containsKey(host) ? null : testingFailures.get(host);
        if (testing != null) {
            if (testing.cause() != Cause.MX_MISMATCH) {
                testingFailures.remove(host); // a TLS check is per connection; a name mismatch holds for every address
            }
            failureOf(testing.cause()).ifPresent(f -> sink.record(TlsSession.failure(domain, policy,
                    withSender(f.withReceivingMx(host, ip), session))));
            return;
        }
        for (TlsSession counted : TlsSessions.fromOutcome(domain, hostPolicy, results.getFirst())) {
            sink.record(switch (counted.result()) {
                case TlsSession.Success s -> counted;
                case TlsSession.Failure f -> TlsSession.failure(domain, hostPolicy, withSender(
                        f.receivingIp().isPresent() ? f : f.withReceivingMx(host, ip), session));
            });
        }
    }

    @Override
    public void decided(Outcome result, List<Integer> indexes) {
        // no connection: the hosts a policy ruled out were counted as they were ruled out
    }

    private static Optional<TlsSession.Failure> failureOf(Cause cause) {
        return TlsSessions.reported(cause);
    }

    private static TlsSession.Failure withSender(TlsSession.Failure failure, SessionInfo session) {
        return session.localAddress().map(failure::withSendingMtaIp).orElse(failure);
    }
}
