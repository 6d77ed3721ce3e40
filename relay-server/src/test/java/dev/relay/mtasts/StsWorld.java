package dev.relay.mtasts;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.queue.MutableClock;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.testkit.TestCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Everything an MTA-STS lookup talks to, on loopback: a DNS server, a policy server with a
 * test CA, a resolver that caches nothing (so a test's DNS change shows at once) and a clock
 * the test moves. Services built here share the store directory, as a restarted relay would.
 */
final class StsWorld implements AutoCloseable {

    static final TestCertificates.Authority CA = TestCertificates.newAuthority("MTA-STS Test CA");

    static String policy(String mode, long maxAge, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\nmode: ").append(mode).append('\n');
        for (String m : mx) {
            text.append("mx: ").append(m).append('\n');
        }
        return text.append("max_age: ").append(maxAge).append('\n').toString();
    }

    final TestDnsServer dns = TestDnsServer.start();
    final TestPolicyServer server = TestPolicyServer.start(CA);
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final RecordingMtaStsEvents events = new RecordingMtaStsEvents();
    final Path storeDirectory;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<MtaStsPolicies> services = new ArrayList<>();

    StsWorld(Path storeDirectory) {
        this.storeDirectory = storeDirectory;
    }

    /** A resolver that caches nothing, on the test clock. */
    DnsResolver resolver() {
        return resolverBuilder().maxTtl(Duration.ZERO).maxNegativeTtl(Duration.ZERO).build();
    }

    DnsResolver.Builder resolverBuilder() {
        return dns.resolverBuilder().timeout(Duration.ofMillis(500)).clock(clock);
    }

    PolicyFetcher fetcher(DnsResolver resolver, int port) {
        ClientTlsContext tls = ClientTlsContext.builder().systemRoots(false).extraTrust(List.of(CA.certificate())).build();
        return PolicyFetcher.builder(resolver, tls, group).port(port).totalTimeout(Duration.ofSeconds(5)).build();
    }

    /** A service over the shared store, fetching from the test server. */
    MtaStsPolicies service() {
        DnsResolver resolver = resolver();
        return service(resolver, fetcher(resolver, server.port()));
    }

    MtaStsPolicies service(DnsResolver resolver, PolicyFetcher fetcher) {
        return service(resolver, fetcher, UnaryOperator.identity());
    }

    /** With settings of the test's own on top of the world's. */
    MtaStsPolicies service(DnsResolver resolver, PolicyFetcher fetcher, UnaryOperator<MtaStsPolicies.Builder> settings) {
        MtaStsPolicies service = settings.apply(MtaStsPolicies.builder(resolver, fetcher, PolicyStore.open(storeDirectory))
                .clock(clock)
                .events(events)
                .executor(executor))
                .build();
        services.add(service);
        return service;
    }

    /** Publishes a domain: its TXT record with this id, its policy host on loopback serving this text. */
    TestPolicyServer.PolicyHost publish(String domain, String id, String policyText) {
        txt(domain, id);
        dns.a("mta-sts." + domain, "127.0.0.1");
        return server.domain(domain).policy(policyText);
    }

    /** Replaces the domain's TXT record. */
    void txt(String domain, String id) {
        dns.clear("_mta-sts." + domain, "TXT");
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id);
    }

    @Override
    public void close() {
        services.forEach(MtaStsPolicies::close);
        server.close();
        dns.close();
        executor.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
