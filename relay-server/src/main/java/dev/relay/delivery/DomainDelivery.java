package dev.relay.delivery;

import dev.relay.dns.AddressResult;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnssecStatus;
import dev.relay.dns.MxResult;
import dev.relay.dns.Validated;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.mtasts.DomainPolicy;
import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.AppliedPolicy;
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
import dev.relay.tls.TlsProblem;
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
import java.util.function.Supplier;

/**
 * One attempt at the recipients of one message in one domain: resolve the MX hosts, then walk
 * them in preference order, and each host's addresses in order, until a server gives its
 * verdict. Each host is tried as the policy that governs it demands ({@link HostPlan}: DANE for a
 * host with secure TLSA records from a DNSSEC-secure MX lookup, else the domain's MTA-STS policy). A connection-level failure moves on to the next address (recipients the server
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

        /**
         * An MX host governed by DANE met it (empty) or failed it (the problem: the host was
         * skipped, or its connection given up).
         */
        default void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {}

        /** The policy the walk goes by, told once before the first MX host (TLS reports name it). */
        default void policyApplied(DomainPolicy policy) {}

        /**
         * What governs an MX host, told before it is tried or skipped: DANE governs host by host,
         * and TLS reports name the host's TLSA records as the policy of its sessions.
         */
        default void hostPlanned(String mxHost, DaneHost dane, HostPlan plan) {}

        /** Both listeners, {@code first} first, told every event: a new event is forwarded here, where it is declared. */
        static Listener both(Listener first, Listener second) {
            return new Listener() {
                @Override
                public void attempted(SessionInfo session, List<Outcome> results, List<Integer> indexes) {
                    first.attempted(session, results, indexes);
                    second.attempted(session, results, indexes);
                }

                @Override
                public void decided(Outcome result, List<Integer> indexes) {
                    first.decided(result, indexes);
                    second.decided(result, indexes);
                }

                @Override
                public void policyFailed(PolicyFailure failure) {
                    first.policyFailed(failure);
                    second.policyFailed(failure);
                }

                @Override
                public void daneChecked(String domain, String mxHost, Optional<HostProblem> failure) {
                    first.daneChecked(domain, mxHost, failure);
                    second.daneChecked(domain, mxHost, failure);
                }

                @Override
                public void policyApplied(DomainPolicy policy) {
                    first.policyApplied(policy);
                    second.policyApplied(policy);
                }

                @Override
                public void hostPlanned(String mxHost, DaneHost dane, HostPlan plan) {
                    first.hostPlanned(mxHost, dane, plan);
                    second.hostPlanned(mxHost, dane, plan);
                }
            };
        }
    }

    /**
     * @param literal the addresses, when the host is an address literal
     * @param secureMx whether the MX lookup that named the host was DNSSEC-secure (RFC 7672 2.2.1)
     */
    private record Host(String name, Optional<List<InetAddress>> literal, boolean secureMx) {}

    private final QueuedMessage message;
    private final String domain;
    private final List<Integer> recipients;
    private final DeliveryContext context;
    private final Listener listener;
    private final Executor executor;
    private final BodySource body;
    /** RFC 8689: what the message's REQUIRETLS or TLS-Required: No makes of this walk. */
    private final RequireTlsRule requireTls;
    /** Envelope index to its latest result; recipients without one are still open. */
    private final Map<Integer, Outcome> results = new LinkedHashMap<>();
    private DomainPolicy policy = DomainPolicy.none();
    /** Under an enforced policy: why each host tried (or skipped) did not take the mail, in order. */
    private final List<HostProblem> hostFailures = new ArrayList<>();
    /** Whether a host was skipped or failed because of the enforced policy (not just unreachable). */
    private boolean policyKeptBack;
    /** The first DANE failure's cause, once a host governed by DANE was skipped or failed its TLS. */
    private Optional<Cause> daneKeptBack = Optional.empty();
    private final DaneLookup dane;
    private Outcome lastFailure;
    /** Whether the last failure came from a transaction, whose log lines are already written. */
    private boolean lastFailureLogged;

    /**
     * What a domain delivery needs from around it.
     *
     * @param policyUnknownWait how long a message waits for its domain's policy to become known
     *     (the TXT lookup failing, nothing cached) before it goes as without one
     * @param requireTls what RFC 8689's rule needs
     */
    record DeliveryContext(DnsResolver dns, ConnectionPool pool, DomainPolicies policies, int port,
            Duration policyUnknownWait, Clock clock, RequireTlsRule.Settings requireTls) {}

    DomainDelivery(QueuedMessage message, String domain, List<Integer> recipients, DeliveryContext context,
            BodySource body, Listener listener, Executor executor) {
        this.message = message;
        this.domain = domain;
        this.recipients = List.copyOf(recipients);
        this.context = context;
        this.listener = listener;
        this.executor = executor;
        this.body = body;
        this.dane = new DaneLookup(context.dns());
        this.requireTls = new RequireTlsRule(message, domain, context.requireTls());
    }

    /** Never completes exceptionally; the map has a result for every recipient given. */
    CompletableFuture<Map<Integer, Outcome>> run() {
        Optional<InetAddress> literal = DnsResolver.addressLiteral(domain);
        if (literal.isPresent()) {
            String name = literal.get().getHostAddress();
            return walk(List.of(new Host(name, Optional.of(List.of(literal.get())), false)));
        }
        CompletableFuture<DomainPolicy> published = requireTls.needsDomainPolicy()
                ? context.policies().policyFor(domain).toCompletableFuture()
                : CompletableFuture.completedFuture(new DomainPolicy.NoPolicy("not looked up"));
        return published
                .thenComposeAsync(found -> {
                    policy = requireTls.policyFor(found);
                    if (policy instanceof DomainPolicy.Unavailable undetermined) {
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
                    listener.policyApplied(policy);
                    return context.dns().lookupMxValidated(domain).toCompletableFuture()
                            .thenComposeAsync(this::route, executor);
                }, executor)
                .exceptionally(this::unexpected);
    }

    private CompletableFuture<Map<Integer, Outcome>> route(Validated<MxResult> mx) {
        boolean secure = mx.isSecure();
        return switch (mx.result()) {
            case MxResult.Hosts hosts -> recheckPolicy(hosts.hosts().stream().map(h -> h.name()).toList())
                    .thenComposeAsync(rechecked -> walk(hosts.hosts().stream()
                            .map(h -> new Host(h.name(), Optional.empty(), secure)).toList()), executor);
            case MxResult.NoMx none -> implicitMx(secure);
            case MxResult.NullMx nullMx -> decide(Verdicts.nullMx(domain));
            case MxResult.NoSuchDomain nx -> decide(Verdicts.noSuchDomain(domain));
            case MxResult.TemporaryFailure failure -> decide(Verdicts.lookupFailed(domain,
                    mx.status() == DnssecStatus.BOGUS ? "the MX records fail DNSSEC validation (" + failure.reason() + ")"
                            : failure.reason()));
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

    /**
     * RFC 5321 5.1: no MX, so the domain itself is the one host, if it has an address. When the
     * absence of MX records is DNSSEC-secure, the domain is the TLSA base (RFC 7672 2.2.1).
     */
    private CompletableFuture<Map<Integer, Outcome>> implicitMx(boolean secure) {
        return context.dns().lookupAddresses(domain).toCompletableFuture().thenComposeAsync(found -> switch (found) {
            case AddressResult.Addresses addresses -> walk(List.of(secure
                    ? new Host(domain, Optional.empty(), true)
                    : new Host(domain, Optional.of(addresses.addresses()), false)));
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
        if (host.literal().isPresent()) {
            return follow(host.name(), plan(new DaneHost.NotApplicable("an address literal"), host.name()),
                    () -> CompletableFuture.completedFuture(host.literal().get()), hosts);
        }
        if (!host.secureMx() || requireTls.waivesPolicies()) {
            // as without DANE: a host the MTA-STS policy rules out is skipped before any lookup
            String why = host.secureMx() ? "TLS-Required: No" : "the MX lookup is not DNSSEC-secure";
            return follow(host.name(), plan(new DaneHost.NotApplicable(why), host.name()),
                    () -> context.dns().lookupAddresses(host.name()).toCompletableFuture()
                            .thenApply(found -> addressesOf(host.name(), found)), hosts);
        }
        return dane.host(host.name(), true).thenComposeAsync(found -> follow(host.name(),
                plan(found.dane(), host.name()),
                () -> CompletableFuture.completedFuture(addressesOf(host.name(), found.addresses())), hosts), executor);
    }

    private HostPlan plan(DaneHost daneHost, String host) {
        HostPlan plan = HostPlan.of(daneHost, policy.forHost(host), policy.applied());
        listener.hostPlanned(host, daneHost, plan);
        return plan;
    }

    /** Skips the host or tries its addresses, as its plan says; then the next host, unless a server concluded. */
    private CompletableFuture<Void> follow(String host, HostPlan plan,
            Supplier<CompletableFuture<List<InetAddress>>> addresses, Iterator<Host> hosts) {
        return switch (plan) {
            case HostPlan.Skip skip -> {
                if (skip.policy().isDane()) {
                    daneFailed(host, skip.cause(), host + ": " + skip.reason());
                } else {
                    policyFailed(host, skip.cause(), skip.reason(), true);
                }
                yield nextHost(hosts);
            }
            case HostPlan.Connect connect -> {
                if (requireTls.skips(host, connect.policy())) {
                    yield nextHost(hosts);
                }
                if (!connect.policyMatched()) {
                    policyFailed(host, Cause.MX_MISMATCH, host + " does not match the MTA-STS policy of " + domain, false);
                }
                yield addresses.get()
                        .thenComposeAsync(list -> nextAddress(host, connect, list.iterator()), executor)
                        .thenComposeAsync(concluded -> concluded ? CompletableFuture.completedFuture(null) : nextHost(hosts),
                                executor);
            }
        };
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
    private CompletableFuture<Boolean> nextAddress(String host, HostPlan.Connect plan, Iterator<InetAddress> addresses) {
        List<Integer> open = open();
        if (!addresses.hasNext() || open.isEmpty()) {
            return CompletableFuture.completedFuture(open.isEmpty());
        }
        Destination destination = new Destination(host, new InetSocketAddress(addresses.next(), context.port()),
                plan.tls(), plan.check());
        List<RecipientAddress> rcpts = open.stream().map(i -> message.envelope().recipients().get(i)).toList();
        OutboundMessage outbound = new OutboundMessage(message.envelope().sender(), rcpts,
                message.envelope().parameters(), message.size(), body);
        return context.pool().deliver(destination, outbound).thenComposeAsync(outcome -> {
            List<Outcome> classified = Verdicts.of(outcome, plan.policy());
            checkPolicy(destination, outcome, plan.policy());
            listener.attempted(outcome.session(), classified, open);
            if (requireTls.passesOver(host, classified)) {
                return CompletableFuture.completedFuture(false); // on to the next MX host
            }
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
                    : nextAddress(host, plan, addresses);
        }, executor);
    }

    /**
     * Records what the policy makes of this attempt: under enforce, a TLS failure that kept the
     * mail back; under testing, a session the policy would have refused although the mail went.
     */
    private void checkPolicy(Destination destination, TransactionOutcome outcome, AppliedPolicy governing) {
        String host = destination.mxHost();
        if (governing.isDane()) {
            checkDane(destination, outcome);
            return;
        }
        if (!(policy instanceof DomainPolicy.Active published)) {
            return;
        }
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

    /** A host DANE governs: a TLS failure keeps the mail back from it (never tried with less); success is counted. */
    private void checkDane(Destination destination, TransactionOutcome outcome) {
        String host = destination.mxHost();
        if (outcome instanceof TransactionOutcome.Failed failed) {
            String detail = failed.failure().describe(destination);
            Optional<TlsProblem> problem = failed.failure().tlsProblem();
            if (problem.isPresent()) {
                daneFailed(host, Verdicts.causeOf(problem.get()), detail);
            } else {
                hostFailures.add(new HostProblem(host, Verdicts.causeOf(failed.failure()), detail));
            }
            return;
        }
        if (outcome.session().connectionUse() <= 1) {
            listener.daneChecked(domain, host, Optional.empty()); // once per connection, as TLS sessions are counted
        }
    }

    private void daneFailed(String host, Cause cause, String detail) {
        HostProblem problem = new HostProblem(host, cause, detail);
        if (daneKeptBack.isEmpty()) {
            daneKeptBack = Optional.of(cause);
        }
        hostFailures.add(problem);
        listener.daneChecked(domain, host, Optional.of(problem));
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
            Optional<Outcome> refused = requireTls.refusal(lastFailure == null && !policyKeptBack && daneKeptBack.isEmpty(),
                    policy.applied());
            Outcome last;
            if (refused.isPresent()) {
                last = refused.get();
            } else if (daneKeptBack.isPresent()) {
                last = Verdicts.daneNotMet(domain, hostFailures, daneKeptBack.get());
            } else if (policyKeptBack) {
                last = Verdicts.policyNotMet(domain, hostFailures,
                        policy instanceof DomainPolicy.Active active && active.override().isPresent());
            } else if (lastFailure == null) {
                last = Verdicts.mxHostUnresolvable(domain).underPolicy(policy.applied());
            } else {
                last = lastFailure.underPolicy(policy.applied());
            }
            open.forEach(i -> results.put(i, last));
            if (refused.isPresent() || policyKeptBack || daneKeptBack.isPresent() || !lastFailureLogged) {
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
