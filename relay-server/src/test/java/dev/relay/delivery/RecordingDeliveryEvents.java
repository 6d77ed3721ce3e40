package dev.relay.delivery;

import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.HostProblem;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The delivery events the conformance scenarios assert on, kept in the order they came (the
 * scheduler's worker thread adds, the test reads).
 */
final class RecordingDeliveryEvents implements DeliveryEvents {
    final List<PolicyFailure> policyFailures = new CopyOnWriteArrayList<>();
    /** result/tls/mta_sts_mode of every attempt, as the metrics count them. */
    final List<String> attempts = new CopyOnWriteArrayList<>();
    /** host/result of every DANE check, as the metrics count them. */
    final List<String> daneChecks = new CopyOnWriteArrayList<>();
    final List<RequireTls> requireTls = new CopyOnWriteArrayList<>();
    final List<TlsRequiredNo> tlsRequiredNo = new CopyOnWriteArrayList<>();

    @Override
    public void attempted(Result result, Tls tls, String mtaStsMode) {
        attempts.add(result.label() + "/" + tls.label() + "/" + mtaStsMode);
    }

    @Override
    public void policyFailed(PolicyFailure failure) {
        policyFailures.add(failure);
    }

    @Override
    public void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {
        daneChecks.add(mxHost + "/" + failure.map(p -> p.cause().label()).orElse("success"));
    }

    @Override
    public void requireTls(RequireTls outcome) {
        requireTls.add(outcome);
    }

    @Override
    public void tlsRequiredNo(TlsRequiredNo outcome) {
        tlsRequiredNo.add(outcome);
    }
}
