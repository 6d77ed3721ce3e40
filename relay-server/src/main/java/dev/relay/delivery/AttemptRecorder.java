package dev.relay.delivery;

import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.queue.QueuedMessage;
import dev.relay.smtp.client.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one message's attempt tells the world: the Postfix-style line per recipient (logger
 * {@code dev.relay.delivery.attempts}), one line per policy failure ({@code dev.relay.delivery.policy}),
 * and the same facts to the {@link DeliveryEvents} (metrics, status page). Every figure comes
 * from the typed outcome, so the log line and the metrics cannot disagree.
 */
final class AttemptRecorder implements DomainDelivery.Listener {
    private static final Logger attempts = LoggerFactory.getLogger("dev.relay.delivery.attempts");
    private static final Logger policyLog = LoggerFactory.getLogger("dev.relay.delivery.policy");

    private final QueuedMessage message;
    private final Clock clock;
    private final DeliveryEvents events;

    AttemptRecorder(QueuedMessage message, Clock clock, DeliveryEvents events) {
        this.message = message;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public void attempted(SessionInfo session, List<Outcome> results, List<Integer> indexes) {
        Duration delay = Duration.between(message.envelope().arrival(), clock.instant());
        DeliveryEvents.Tls tls = session.tls()
                .map(t -> t.verified() ? DeliveryEvents.Tls.VERIFIED : DeliveryEvents.Tls.TLS)
                .orElse(DeliveryEvents.Tls.NONE);
        // a reused connection carries the TLS session its first transaction reported
        if (session.connectionUse() <= 1) {
            session.tls().ifPresent(t -> events.tlsSession(t.protocol(), t.verified()));
        }
        for (int k = 0; k < indexes.size(); k++) {
            String to = message.envelope().recipients().get(indexes.get(k)).address();
            Outcome result = results.get(k);
            attempts.info(AttemptLog.line(message.id(), to, session, result, delay));
            events.attempted(resultOf(result), tls, result.tls().policy().mtaStsMode());
        }
    }

    @Override
    public void policyFailed(PolicyFailure failure) {
        String host = failure.mxHost().isEmpty() ? "" : " mx=" + failure.mxHost() + ",";
        if (failure.cause() == Cause.STS_POLICY_UNAVAILABLE) {
            // no policy is known: say so, rather than a mode nobody published
            policyLog.warn("{}: domain={}, mta-sts=unknown, result={}, action={} ({})", message.id().value(),
                    failure.domain(), failure.resultType(),
                    failure.enforced() ? "deferred" : "delivered-without-policy", failure.detail());
        } else if (failure.enforced()) {
            policyLog.warn("{}: domain={},{} mta-sts=enforce, result={}, action=skipped ({})", message.id().value(),
                    failure.domain(), host, failure.resultType(), failure.detail());
        } else {
            policyLog.info("{}: domain={},{} mta-sts=testing, result={}, action=delivered-anyway ({})",
                    message.id().value(), failure.domain(), host, failure.resultType(), failure.detail());
        }
        events.policyFailed(failure);
    }

    @Override
    public void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {
        failure.ifPresent(problem -> policyLog.warn("{}: domain={}, mx={}, dane=required, result={}, action=skipped ({})",
                message.id().value(), domain, mxHost, problem.cause().label(), problem.detail()));
        events.daneChecked(domain, mxHost, failure);
    }

    @Override
    public void decided(Outcome result, List<Integer> indexes) {
        Duration delay = Duration.between(message.envelope().arrival(), clock.instant());
        for (int i : indexes) {
            String to = message.envelope().recipients().get(i).address();
            attempts.info(AttemptLog.lineWithoutConnection(message.id(), to, result, delay));
            events.attempted(resultOf(result), DeliveryEvents.Tls.NONE, result.tls().policy().mtaStsMode());
        }
    }

    private static DeliveryEvents.Result resultOf(Outcome result) {
        return switch (result) {
            case Outcome.Delivered d -> DeliveryEvents.Result.DELIVERED;
            case Outcome.Deferred t -> DeliveryEvents.Result.DEFERRED;
            case Outcome.Failed p -> DeliveryEvents.Result.FAILED;
        };
    }
}
