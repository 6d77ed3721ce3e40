package dev.relay.delivery;

import dev.relay.dns.AddressResult;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.MxResult;
import dev.relay.queue.DeliveryResult;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.tls.TlsRequirement;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
        /** A transaction ended; {@code indexes[i]} is the envelope index of its i-th recipient. */
        void attempted(TransactionOutcome outcome, List<Integer> indexes);

        /** DNS decided these recipients' result without a connection. */
        void decided(DeliveryResult result, List<Integer> indexes);
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
    private final Map<Integer, DeliveryResult> results = new LinkedHashMap<>();
    private TlsRequirement tls = TlsRequirement.OPPORTUNISTIC;
    private DeliveryResult lastFailure;
    /** Whether the last failure came from a transaction, whose log lines are already written. */
    private boolean lastFailureLogged;

    /** What a domain delivery needs from around it. */
    record DeliveryContext(DnsResolver dns, ConnectionPool pool, TlsPolicyChooser tlsPolicy, int port) {}

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
    CompletableFuture<Map<Integer, DeliveryResult>> run() {
        Optional<InetAddress> literal = DnsResolver.addressLiteral(domain);
        if (literal.isPresent()) {
            String name = literal.get().getHostAddress();
            return walk(List.of(new Host(name, Optional.of(List.of(literal.get())))));
        }
        return context.tlsPolicy().requirementFor(domain).toCompletableFuture()
                .thenComposeAsync(requirement -> {
                    tls = requirement;
                    return context.dns().lookupMx(domain);
                }, executor)
                .thenComposeAsync(mx -> switch (mx) {
                    case MxResult.Hosts hosts -> walk(hosts.hosts().stream()
                            .map(h -> new Host(h.name(), Optional.empty())).toList());
                    case MxResult.NoMx none -> implicitMx();
                    case MxResult.NullMx nullMx -> decide(DnsReplies.nullMx(domain));
                    case MxResult.NoSuchDomain nx -> decide(DnsReplies.noSuchDomain(domain));
                    case MxResult.TemporaryFailure failure -> decide(DnsReplies.lookupFailed(domain, failure.reason()));
                }, executor)
                .exceptionally(this::unexpected);
    }

    /** RFC 5321 5.1: no MX, so the domain itself is the one host, if it has an address. */
    private CompletableFuture<Map<Integer, DeliveryResult>> implicitMx() {
        return context.dns().lookupAddresses(domain).toCompletableFuture().thenComposeAsync(found -> switch (found) {
            case AddressResult.Addresses addresses -> walk(List.of(new Host(domain, Optional.of(addresses.addresses()))));
            case AddressResult.NoAddresses none -> decide(DnsReplies.noAddress(domain));
            case AddressResult.NoSuchDomain nx -> decide(DnsReplies.noSuchDomain(domain));
            case AddressResult.TemporaryFailure failure -> decide(DnsReplies.lookupFailed(domain, failure.reason()));
        }, executor);
    }

    private CompletableFuture<Map<Integer, DeliveryResult>> decide(DeliveryResult result) {
        open().forEach(i -> results.put(i, result));
        listener.decided(result, recipients);
        return CompletableFuture.completedFuture(Map.copyOf(results));
    }

    private CompletableFuture<Map<Integer, DeliveryResult>> walk(List<Host> hosts) {
        return nextHost(hosts.iterator()).thenApply(done -> finish());
    }

    private CompletableFuture<Void> nextHost(Iterator<Host> hosts) {
        if (!hosts.hasNext() || open().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Host host = hosts.next();
        CompletableFuture<List<InetAddress>> addresses = host.literal()
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> context.dns().lookupAddresses(host.name()).toCompletableFuture()
                        .thenApply(found -> addressesOf(host.name(), found)));
        return addresses.thenComposeAsync(list -> nextAddress(host.name(), list.iterator()), executor)
                .thenComposeAsync(concluded -> concluded ? CompletableFuture.completedFuture(null) : nextHost(hosts),
                        executor);
    }

    private List<InetAddress> addressesOf(String host, AddressResult found) {
        return switch (found) {
            case AddressResult.Addresses addresses -> addresses.addresses();
            case AddressResult.TemporaryFailure failure -> {
                unresolved(DnsReplies.lookupFailed(host, failure.reason()));
                yield List.of();
            }
            case AddressResult.NoAddresses none -> {
                unresolved(DnsReplies.mxHostUnresolvable(host));
                yield List.of();
            }
            case AddressResult.NoSuchDomain nx -> {
                unresolved(DnsReplies.mxHostUnresolvable(host));
                yield List.of();
            }
        };
    }

    private void unresolved(DeliveryResult result) {
        lastFailure = result;
        lastFailureLogged = false;
    }

    /** True once a server concluded the transaction (the walk ends there). */
    private CompletableFuture<Boolean> nextAddress(String host, Iterator<InetAddress> addresses) {
        List<Integer> open = open();
        if (!addresses.hasNext() || open.isEmpty()) {
            return CompletableFuture.completedFuture(open.isEmpty());
        }
        Destination destination = new Destination(host, new InetSocketAddress(addresses.next(), context.port()), tls);
        List<RecipientAddress> rcpts = open.stream().map(i -> message.envelope().recipients().get(i)).toList();
        OutboundMessage outbound = new OutboundMessage(message.envelope().sender(), rcpts,
                message.envelope().parameters(), message.size(), body);
        return context.pool().deliver(destination, outbound).thenComposeAsync(outcome -> {
            listener.attempted(outcome, open);
            for (int k = 0; k < open.size(); k++) {
                DeliveryResult result = outcome.results().get(k);
                if (outcome instanceof TransactionOutcome.Concluded || result instanceof DeliveryResult.PermanentFailure) {
                    results.put(open.get(k), result);
                } else {
                    lastFailure = result;
                    lastFailureLogged = true;
                }
            }
            return outcome instanceof TransactionOutcome.Concluded
                    ? CompletableFuture.completedFuture(true)
                    : nextAddress(host, addresses);
        }, executor);
    }

    private Map<Integer, DeliveryResult> finish() {
        List<Integer> open = open();
        if (!open.isEmpty()) {
            DeliveryResult last = lastFailure == null
                    ? DnsReplies.mxHostUnresolvable(domain)
                    : lastFailure;
            open.forEach(i -> results.put(i, last));
            if (!lastFailureLogged) {
                listener.decided(last, open); // no transaction logged it
            }
        }
        return Map.copyOf(results);
    }

    private Map<Integer, DeliveryResult> unexpected(Throwable error) {
        DeliveryResult result = new DeliveryResult.TemporaryFailure("451 4.3.0 local error delivering to <" + domain
                + ">: " + error);
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
