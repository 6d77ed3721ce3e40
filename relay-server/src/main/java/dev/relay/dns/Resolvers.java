package dev.relay.dns;

import dev.relay.settings.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** Builds the dnsjava resolver the relay asks through. */
final class Resolvers {

    /**
     * EDNS buffer size of DNS Flag Day 2020: large enough for most answers over UDP, small
     * enough to avoid IP fragmentation; bigger answers come truncated and are asked over TCP.
     */
    static final int EDNS_PAYLOAD = 1232;

    private Resolvers() {}

    /** The configured servers; when none, the system's (resolv.conf and friends, via dnsjava). */
    static List<InetSocketAddress> servers(List<HostPort> configured) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (HostPort server : configured) {
            var address = DomainNames.addressLiteral(server.host()).orElseThrow(() -> new IllegalArgumentException(
                    "DNS server must be an IP address, got " + server));
            servers.add(new InetSocketAddress(address, server.port()));
        }
        if (servers.isEmpty()) {
            servers.addAll(ResolverConfig.getCurrentConfig().servers());
        }
        if (servers.isEmpty()) {
            throw new IllegalStateException("no DNS servers configured and none found in the system configuration");
        }
        return List.copyOf(servers);
    }

    /**
     * One resolver per server, in order: UDP, retried over TCP when the answer is truncated;
     * {@code timeout} per attempt and {@code attempts} per server. Moving on to the next server
     * is {@link QueryEngine}'s job, since it must also move on after SERVFAIL or REFUSED, which
     * dnsjava's ExtendedResolver takes for answers.
     */
    static List<Resolver> create(List<InetSocketAddress> servers, Duration timeout, int attempts, boolean dnssecOk) {
        return create(servers, timeout, attempts, dnssecOk, ExtendedResolver::new);
    }

    private static List<Resolver> create(List<InetSocketAddress> servers, Duration timeout, int attempts, boolean dnssecOk,
            Function<List<Resolver>, ExtendedResolver> retryingResolver) {
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTCP(false);
            simple.setIgnoreTruncation(false);
            // DO (RFC 3225): a validating server then sets AD on the answers it proved
            simple.setEDNS(0, EDNS_PAYLOAD, dnssecOk ? ExtendedFlags.DO : 0, List.of());
            simple.setTimeout(timeout);
            // an ExtendedResolver of one: it repeats a silent attempt, which SimpleResolver does not
            ExtendedResolver retrying = retryingResolver.apply(List.of(simple));
            retrying.setRetries(attempts);
            // its overall deadline is checked between attempts. dnsjava notices a timed-out attempt
            // only on its selector's tick (up to a second late), so the deadline allows a second per
            // attempt on top, lest it cut the last attempt short
            retrying.setTimeout(timeout.plusSeconds(1).multipliedBy(attempts));
            resolvers.add(retrying);
        }
        return List.copyOf(resolvers);
    }

    /**
     * One dnsjava validating resolver per server, each from the same trust anchors and asking
     * that one server (which must recurse and return DNSSEC records) also for the DS and DNSKEY
     * records it needs. A server's error code fails the query ({@link ServerFailure}) rather than
     * reaching the validator, which would take it for a bogus answer.
     */
    static List<Resolver> validating(List<InetSocketAddress> servers, Duration timeout, int attempts, TrustAnchors anchors,
            Clock clock) {
        List<Resolver> resolvers = new ArrayList<>();
        for (Resolver head : create(servers, timeout, attempts, true, ServerFailure.FailingOnErrors::new)) {
            ValidatingResolver validating = new ValidatingResolver(head, clock);
            try {
                validating.loadTrustAnchors(anchors.stream());
            } catch (IOException e) {
                throw new IllegalArgumentException("the DNSSEC trust anchors in " + anchors.source() + " cannot be loaded: "
                        + e.getMessage(), e);
            }
            resolvers.add(validating);
        }
        return List.copyOf(resolvers);
    }
}
