package dev.relay.delivery;

import dev.relay.dns.AddressResult;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.MxResult;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.mtasts.DomainPolicy;
import dev.relay.mtasts.HostVerdict;
import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.smtp.client.BodySource;
import dev.relay.smtp.client.ConnectionPool;
import dev.relay.smtp.client.Destination;
import dev.relay.smtp.client.OutboundMessage;
import dev.relay.smtp.client.SessionInfo;
import dev.relay.smtp.client.TransactionOutcome;
import dev.relay.text.Durations;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsRequirement;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One attempt at the recipients of one message in one domain: resolve the MX hosts, then walk
 * them in preference order, and each host's addresses in order, until a server gives its
 * verdict. A connection-level failure moves on to the next address (recipients the server
 * already refused for good at RCPT keep that answer); when every address is spent, the
 * recipients still open keep the last reason, which is temporary.
 *
 * <p>Every continuation runs on the given executor, so neither DNS nor Netty threads do the
 * walking.
 */
final class DomainDelivery {

    /** What the walk reports: one result per recipient, and each transaction's outcome for the log. */
    interface Listener {
        /**
         * A transaction ended; {@code indexes[i]} is the envelope index of its i-th recipient,
         * {@code results[i]} its outcome, which carries the domain's policy in its TLS facts.
         */
        void attempted(SessionInfo session, List<Outcome> results, List<Integer> indexes);

        /** DNS or the domain's policy decided these recipients' outcome without a connection. */
        void decided(Outcome result, List<Integer> indexes);

        /** An MX host failed the domain's policy: skipped (enforce) or used anyway (testing). */
        default void policyFailed(PolicyFailure failure) {}
    }

    private record Host(String name, Optional<List<InetAddress>> literal) {}

    private final QueuedMessage message;
    private final String domain;
    private final List<Integer> recipients;
    private final DeliveryContext context;
    private final Listener listener;
    private final Executor executor;
    private final BodySource body;
    /** Envelope index to its latest result; recipients without one are still open. */
    private final Map<Integer, Outcome> results = new LinkedHashMap<>();
    private DomainPolicy policy = DomainPolicy.none();
    /** Under an enforced policy: why each host tried (or skipped) did not take the mail, in order. */
    private final List<HostProblem> hostFailures = new ArrayList<>();
    /** Whether a host was skipped or failed because of the enforced policy (not just unreachable). */
    private boolean policyKeptBack;
    private Outcome lastFailure;
    /** Whether the last failure came from a transaction, whose log lines are already written. */
    private boolean lastFailureLogged;

    /**
     * What a domain delivery needs from around it.
     *
     * @param policyUnknownWait how long a message waits for its domain's policy to become known
     *     (the TXT lookup failing, nothing cached) before it goes as without one
     */
    record DeliveryContext(DnsResolver dns, ConnectionPool pool, DomainPolicies policies, int port,
            Duration policyUnknownWait, Clock clock) {}

    DomainDelivery(QueuedMessage message, String domain, List<Integer> recipients, DeliveryContext context,
            BodySource body, Listener listener, Executor executor) {
        this.message = message;
        this.domain = domain;
        this.recipients = List.copyOf(recipients);
        this.context = context;
        this.listener = listener;
        this.executor = executor;
        this.body = body;
    }

    /** Never completes exceptionally; the map has a result for every recipient given. */
    CompletableFuture<Map<Integer, Outcome>> run() {
        Optional<InetAddress> literal = DnsResolver.addressLiteral(domain);
        if (literal.isPresent()) {
            String name = literal.get().getHostAddress();
            return walk(List.of(new Host(name, Optional.of(List.of(literal.get())))));
        }
        return context.policies().policyFor(domain).toCompletableFuture()
                .thenComposeAsync(found -> {
                    policy = found;
                    if (found instanceof DomainPolicy.Unavailable undetermined) {
                        Duration waited = Duration.between(message.envelope().arrival(), context.clock().instant());
                        if (waited.compareTo(context.policyUnknownWait()) < 0) {
                            listener.policyFailed(new PolicyFailure(domain, "", Cause.STS_POLICY_UNAVAILABLE,
                                    undetermined.reason(), true));
                            return decide(Verdicts.policyUndetermined(domain, undetermined.reason()));
                        }
                        // bounded: a first contact whose TXT lookup keeps failing is no better
                        // protected by waiting than one whose record an attacker strips
                        listener.policyFailed(new PolicyFailure(domain, "", Cause.STS_POLICY_UNAVAILABLE,
                                undetermined.reason() + "; the message has waited " + Durations.format(waited.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                                        + " (mta-sts.policy-unknown-wait), so it goes as without a policy", false));
                        policy = new DomainPolicy.NoPolicy("policy unknown after waiting");
                    }
                    return context.dns().lookupMx(domain).toCompletableFuture().thenComposeAsync(this::route, executor);
                }, executor)
                .exceptionally(this::unexpected);
    }

    private CompletableFuture<Map<Integer, Outcome>> route(MxResult mx) {
        return switch (mx) {
            case MxResult.Hosts hosts -> recheckPolicy(hosts.hosts().stream().map(h -> h.name()).toList())
                    .thenComposeAsync(rechecked -> walk(hosts.hosts().stream()
                            .map(h -> new Host(h.name(), Optional.empty())).toList()), executor);
            case MxResult.NoMx none -> implicitMx();
            case MxResult.NullMx nullMx -> decide(Verdicts.nullMx(domain));
            case MxResult.NoSuchDomain nx -> decide(Verdicts.noSuchDomain(domain));
            case MxResult.TemporaryFailure failure -> decide(Verdicts.lookupFailed(domain, failure.reason()));
        };
    }

    /**
     * None of the MX hosts matches the cached policy: the domain may have moved (stale policy),
     * so its policy source may look again before the walk; see {@link DomainPolicies#recheck}.
     */
    private CompletableFuture<Void> recheckPolicy(List<String> hosts) {
        if (policy instanceof DomainPolicy.Active active && active.fromCache() && active.override().isEmpty()
                && hosts.stream().noneMatch(active.policy()::matchesMx)) {
            return context.policies().recheck(domain, hosts).toCompletableFuture().thenAccept(found -> policy = found);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** RFC 5321 5.1: no MX, so the domain itself is the one host, if it has an address. */
    private CompletableFuture<Map<Integer, Outcome>> implicitMx() {
        return context.dns().lookupAddresses(domain).toCompletableFuture().thenComposeAsync(found -> switch (found) {
            case AddressResult.Addresses addresses -> walk(List.of(new Host(domain, Optional.of(addresses.addresses()))));
            case AddressResult.NoAddresses none -> decide(Verdicts.noAddress(domain));
            case AddressResult.NoSuchDomain nx -> decide(Verdicts.noSuchDomain(domain));
            case AddressResult.TemporaryFailure failure -> decide(Verdicts.lookupFailed(domain, failure.reason()));
        }, executor);
    }

    private CompletableFuture<Map<Integer, Outcome>> decide(Outcome decided) {
        Outcome result = decided.underPolicy(policy.applied());
        open().forEach(i -> results.put(i, result));
        listener.decided(result, recipients);
        return CompletableFuture.completedFuture(Map.copyOf(results));
    }

    private CompletableFuture<Map<Integer, Outcome>> walk(List<Host> hosts) {
        return nextHost(hosts.iterator()).thenApply(done -> finish());
    }

    private CompletableFuture<Void> nextHost(Iterator<Host> hosts) {
        if (!hosts.hasNext() || open().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Host host = hosts.next();
        TlsRequirement tls;
        switch (policy.forHost(host.name())) {
            case HostVerdict.Refused refused -> {
                // RFC 8461 5: a host the enforced policy rules out is treated as unreachable
                policyFailed(host.name(), Cause.MX_MISMATCH, refused.reason(), true);
                return nextHost(hosts);
            }
            case HostVerdict.Allowed allowed -> {
                if (!allowed.policyMatched()) {
                    policyFailed(host.name(), Cause.MX_MISMATCH,
                            host.name() + " does not match the MTA-STS policy of " + domain, false);
                }
                tls = allowed.tls();
            }
        }
        CompletableFuture<List<InetAddress>> addresses = host.literal()
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> context.dns().lookupAddresses(host.name()).toCompletableFuture()
                        .thenApply(found -> addressesOf(host.name(), found)));
        return addresses.thenComposeAsync(list -> nextAddress(host.name(), tls, list.iterator()), executor)
                .thenComposeAsync(concluded -> concluded ? CompletableFuture.completedFuture(null) : nextHost(hosts),
                        executor);
    }

    private List<InetAddress> addressesOf(String host, AddressResult found) {
        return switch (found) {
            case AddressResult.Addresses addresses -> addresses.addresses();
            case AddressResult.TemporaryFailure failure -> {
                unresolved(host, Verdicts.lookupFailed(host, failure.reason()));
                yield List.of();
            }
            case AddressResult.NoAddresses none -> {
                unresolved(host, Verdicts.mxHostUnresolvable(host));
                yield List.of();
            }
            case AddressResult.NoSuchDomain nx -> {
                unresolved(host, Verdicts.mxHostUnresolvable(host));
                yield List.of();
            }
        };
    }

    private void unresolved(String host, Outcome.Deferred result) {
        lastFailure = result;
        lastFailureLogged = false;
        hostFailures.add(new HostProblem(host, result.cause(), host + ": " + result.reply().line()));
    }

    /** True once a server concluded the transaction (the walk ends there). */
    private CompletableFuture<Boolean> nextAddress(String host, TlsRequirement tls, Iterator<InetAddress> addresses) {
        List<Integer> open = open();
        if (!addresses.hasNext() || open.isEmpty()) {
            return CompletableFuture.completedFuture(open.isEmpty());
        }
        Destination destination = new Destination(host, new InetSocketAddress(addresses.next(), context.port()), tls);
        List<RecipientAddress> rcpts = open.stream().map(i -> message.envelope().recipients().get(i)).toList();
        OutboundMessage outbound = new OutboundMessage(message.envelope().sender(), rcpts,
                message.envelope().parameters(), message.size(), body);
        return context.pool().deliver(destination, outbound).thenComposeAsync(outcome -> {
            List<Outcome> classified = Verdicts.of(outcome, policy.applied());
            checkPolicy(destination, outcome);
            listener.attempted(outcome.session(), classified, open);
            for (int k = 0; k < open.size(); k++) {
                Outcome result = classified.get(k);
                if (outcome instanceof TransactionOutcome.Concluded || result instanceof Outcome.Failed) {
                    results.put(open.get(k), result);
                } else {
                    lastFailure = result;
                    lastFailureLogged = true;
                }
            }
            return outcome instanceof TransactionOutcome.Concluded
                    ? CompletableFuture.completedFuture(true)
                    : nextAddress(host, tls, addresses);
        }, executor);
    }

    /**
     * Records what the policy makes of this attempt: under enforce, a TLS failure that kept the
     * mail back; under testing, a session the policy would have refused although the mail went.
     */
    private void checkPolicy(Destination destination, TransactionOutcome outcome) {
        if (!(policy instanceof DomainPolicy.Active published)) {
            return;
        }
        String host = destination.mxHost();
        if (outcome instanceof TransactionOutcome.Failed failed) {
            String detail = failed.failure().describe(destination);
            Cause cause = Verdicts.causeOf(failed.failure());
            hostFailures.add(new HostProblem(host, cause, detail));
            failed.failure().tlsProblem().ifPresent(problem -> policyFailed(host, Verdicts.causeOf(problem), detail,
                    published.enforced()));
            return;
        }
        if (published.enforced()) {
            return; // the client already demanded verified TLS, so a concluded session met the policy
        }
        SessionInfo session = outcome.session();
        if (session.tls().isEmpty()) {
            policyFailed(host, Cause.STARTTLS_NOT_SUPPORTED,
                    "delivered to " + destination.relayName() + " without TLS", false);
        } else if (session.tls().get().verdict() instanceof CertificateVerdict.NotVerified notVerified) {
            policyFailed(host, Verdicts.causeOf(notVerified.problem()), notVerified.detail(), false);
        }
    }

    private void policyFailed(String host, Cause cause, String checked, boolean enforced) {
        // under a local override the line says so: a failure let through by a suspension is still reported as one
        String detail = policy instanceof DomainPolicy.Active active && active.override().isPresent()
                ? checked + "; " + active.override().get().describe() : checked;
        if (enforced) {
            policyKeptBack = true;
            if (cause == Cause.MX_MISMATCH) {
                hostFailures.add(new HostProblem(host, cause, detail));
            }
        }
        listener.policyFailed(new PolicyFailure(domain, host, cause, detail, enforced));
    }

    private Map<Integer, Outcome> finish() {
        List<Integer> open = open();
        if (!open.isEmpty()) {
            Outcome last;
            if (policyKeptBack) {
                last = Verdicts.policyNotMet(domain, hostFailures,
                        policy instanceof DomainPolicy.Active active && active.override().isPresent());
            } else if (lastFailure == null) {
                last = Verdicts.mxHostUnresolvable(domain).underPolicy(policy.applied());
            } else {
                last = lastFailure.underPolicy(policy.applied());
            }
            open.forEach(i -> results.put(i, last));
            if (policyKeptBack || !lastFailureLogged) {
                listener.decided(last, open); // no transaction logged this result
            }
        }
        return Map.copyOf(results);
    }

    private Map<Integer, Outcome> unexpected(Throwable error) {
        Outcome result = Verdicts.localError("delivering to <" + domain + ">: " + Problems.describe(error));
        open().forEach(i -> results.put(i, result));
        return Map.copyOf(results);
    }

    private List<Integer> open() {
        List<Integer> open = new ArrayList<>();
        for (int i : recipients) {
            if (!results.containsKey(i)) {
                open.add(i);
            }
        }
        return open;
    }

}
