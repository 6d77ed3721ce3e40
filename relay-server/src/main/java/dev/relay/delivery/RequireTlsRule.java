package dev.relay.delivery;

import dev.relay.mtasts.DomainPolicy;
import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.queue.Envelope;
import dev.relay.queue.QueuedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a message's own demand about TLS (RFC 8689) makes of one domain's delivery. The walk
 * over the domain's MX hosts ({@code DomainDelivery}) asks it at four points and otherwise
 * goes on as for any message:
 *
 * <ul>
 *   <li>{@link #policyFor}: the domain's policy as this message goes under it. A message with
 *       {@code TLS-Required: No} (section 4.2.2) goes as without a policy (opportunistic TLS),
 *       unless {@code delivery.honour-tls-required-no} is off, or the message also carries
 *       REQUIRETLS, which wins (section 4.1).
 *   <li>{@link #skips}: a REQUIRETLS message goes only to an MX host whose policy authenticates
 *       it ({@link AppliedPolicy#authenticated()}: DANE with usable TLSA records, or an MTA-STS
 *       policy in enforce mode; both make the client insist on a verified certificate). Other hosts
 *       are skipped, as RFC 8689 section 4.2.1 asks, and the walk tries the next.
 *   <li>{@link #passesOver}: a host that, over that TLS, does not announce REQUIRETLS got no
 *       transaction (the client checks before MAIL): the walk moves on to the next MX host.
 *   <li>{@link #refusal}: when every host was skipped or passed over for these reasons, and
 *       nothing temporary got in the way, the recipients fail for good with 5.7.30. A host that
 *       failed temporarily (connection, DNS, a certificate under an enforced policy) leaves the
 *       outcome temporary instead: a retry may yet find a way that meets the demand.
 * </ul>
 *
 * One instance per message and domain attempt; not thread-safe (the walk is sequential).
 */
final class RequireTlsRule {
    private static final Logger log = LoggerFactory.getLogger("dev.relay.delivery.policy");

    /**
     * What the rule needs from around it.
     *
     * @param honourTlsRequiredNo {@code delivery.honour-tls-required-no}
     * @param events where uses are counted
     */
    record Settings(boolean honourTlsRequiredNo, DeliveryEvents events) {
        static final Settings DEFAULT = new Settings(true, DeliveryEvents.NONE);

        Settings {
            Objects.requireNonNull(events, "events");
        }
    }

    private final QueuedMessage message;
    private final String domain;
    private final Settings settings;
    /** Hosts a REQUIRETLS message could not go to, and why, in the order met. */
    private final List<HostProblem> refused = new ArrayList<>();
    /** Whether {@link #policyFor} honoured {@code TLS-Required: No}: DANE is waived too (section 4.2.2). */
    private boolean waived;

    RequireTlsRule(QueuedMessage message, String domain, Settings settings) {
        this.message = message;
        this.domain = domain;
        this.settings = settings;
    }

    private boolean requireTls() {
        return message.envelope().requireTls();
    }

    /** Whether the domain's published policy matters to this message: not for a TLS report, which goes without. */
    boolean needsDomainPolicy() {
        return !message.envelope().parameters().tlsReport();
    }

    /** The policy this message is delivered under; logs and counts each {@code TLS-Required: No}. */
    DomainPolicy policyFor(DomainPolicy found) {
        Envelope envelope = message.envelope();
        if (envelope.parameters().tlsReport()) {
            // RFC 8460 section 5.3: the relay's own TLS report goes despite the failures it reports
            waived = true;
            return new DomainPolicy.NoPolicy("a TLS report (RFC 8460 section 5.3) goes without the TLS policies");
        }
        if (!envelope.tlsRequiredNo()) {
            return found;
        }
        String id = message.id().value();
        if (requireTls()) {
            settings.events().tlsRequiredNo(DeliveryEvents.TlsRequiredNo.OVERRIDDEN);
            log.info("{}: domain={}, TLS-Required: No is ignored: the message also carries REQUIRETLS, which wins",
                    id, domain);
            return found;
        }
        if (!settings.honourTlsRequiredNo()) {
            settings.events().tlsRequiredNo(DeliveryEvents.TlsRequiredNo.REFUSED);
            log.info("{}: domain={}, TLS-Required: No is not honoured (delivery.honour-tls-required-no: false);"
                    + " the domain's policy applies", id, domain);
            return found;
        }
        settings.events().tlsRequiredNo(DeliveryEvents.TlsRequiredNo.HONOURED);
        waived = true;
        String what = switch (found) {
            case DomainPolicy.Active active -> "its MTA-STS policy (mode " + active.mode() + ") is ignored";
            case DomainPolicy.Unavailable unknown -> "its MTA-STS policy could not be determined ("
                    + unknown.reason() + ") and is not waited for";
            case DomainPolicy.NoPolicy none -> "it has no TLS policy to ignore";
        };
        log.info("{}: domain={}, TLS-Required: No honoured: {}; delivering with opportunistic TLS", id, domain, what);
        return new DomainPolicy.NoPolicy("TLS-Required: No: the sender waived the TLS policies for this message");
    }

    /**
     * Whether {@link #policyFor} waived the policies, so DANE does not apply either: the sender's
     * {@code TLS-Required: No} was honoured, or it is the relay's own TLS report.
     */
    boolean waivesPolicies() {
        return waived;
    }

    /**
     * Whether a REQUIRETLS message must skip this host: its policy does not authenticate it.
     * {@code hostPolicy} is the policy that governs the host (DANE's or the domain's MTA-STS).
     */
    boolean skips(String host, AppliedPolicy hostPolicy) {
        if (!requireTls() || hostPolicy.authenticated()) {
            return false;
        }
        String why = host + ": the MX host is not authenticated (" + switch (hostPolicy) {
            case NONE -> "no MTA-STS policy in enforce mode, no DNSSEC-signed MX with usable TLSA records";
            case MTA_STS_TESTING -> "the MTA-STS policy is in testing mode";
            case DANE_ENCRYPT -> "its TLSA records are all unusable: TLS without authentication";
            case DANE, MTA_STS_ENFORCE -> "the policy " + hostPolicy.label(); // authenticated: not here
        } + ")";
        refused.add(new HostProblem(host, Cause.REQUIRETLS_NOT_MET, why));
        log.info("{}: domain={}, mx={}, requiretls=unmet, action=skipped ({})", message.id().value(), domain, host, why);
        return true;
    }

    /**
     * Whether a transaction's outcomes say the host did not announce REQUIRETLS (nothing was
     * sent): the walk then tries the next MX host instead of taking that as the verdict.
     */
    boolean passesOver(String host, List<Outcome> classified) {
        if (!requireTls() || classified.isEmpty()
                || !classified.stream().allMatch(o -> o instanceof Outcome.Failed f
                        && f.cause() == Cause.REQUIRETLS_UNSUPPORTED)) {
            return false;
        }
        Outcome.Failed first = (Outcome.Failed) classified.getFirst();
        refused.add(new HostProblem(host, Cause.REQUIRETLS_UNSUPPORTED, host + ": " + first.reply().text()));
        return true;
    }

    /**
     * The recipients' outcome when the rule kept the message from every host: a permanent 5.7.30
     * failure. Empty when REQUIRETLS refused no host, or when something temporary also stood in
     * the way ({@code onlyRefusals} false): then the walk's own temporary outcome stands.
     */
    Optional<Outcome> refusal(boolean onlyRefusals, AppliedPolicy policy) {
        if (refused.isEmpty() || !onlyRefusals) {
            return Optional.empty();
        }
        return Optional.of(Verdicts.requireTlsNotMet(domain, refused, policy));
    }

    /** Counts the attempt of a REQUIRETLS message at one domain by how it ended; passes the results on. */
    static Map<Integer, Outcome> count(Envelope envelope, Map<Integer, Outcome> results, DeliveryEvents events) {
        if (envelope.requireTls() && !results.isEmpty()) {
            events.requireTls(outcomeOf(results.values()));
        }
        return results;
    }

    /** Refused if REQUIRETLS kept any recipient back; else delivered, failed, deferred, in that order. */
    private static DeliveryEvents.RequireTls outcomeOf(java.util.Collection<Outcome> results) {
        if (results.stream().anyMatch(o -> o instanceof Outcome.Failed f && (f.cause() == Cause.REQUIRETLS_NOT_MET
                || f.cause() == Cause.REQUIRETLS_UNSUPPORTED))) {
            return DeliveryEvents.RequireTls.REFUSED;
        }
        if (results.stream().anyMatch(o -> o instanceof Outcome.Delivered)) {
            return DeliveryEvents.RequireTls.DELIVERED;
        }
        return results.stream().anyMatch(o -> o instanceof Outcome.Failed)
                ? DeliveryEvents.RequireTls.FAILED : DeliveryEvents.RequireTls.DEFERRED;
    }
}
