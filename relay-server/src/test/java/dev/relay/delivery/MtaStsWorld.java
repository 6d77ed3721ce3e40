package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnssecMode;
import dev.relay.dns.TrustAnchors;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.MtaStsEvents;
import dev.relay.mtasts.MtaStsPolicies;
import dev.relay.mtasts.PolicyFetcher;
import dev.relay.mtasts.PolicyStore;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.ClientFixture;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.testkit.TestCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DeliveryWorld} for mail to dest.test with the MTA-STS side the relay wires beside it:
 * trust in one CA alone (its checks following the clock), a policy web server, and the policy
 * service with its fetcher. The conformance scenarios (MTA-STS, DANE, REQUIRETLS) each start
 * the scheduler their way on top of it.
 */
final class MtaStsWorld implements AutoCloseable {
    static final String DOMAIN = "dest.test";

    final DeliveryWorld delivery;
    final ClientTlsContext tls;
    final TestPolicyServer web;
    private final MutableClock clock;
    private final EventLoopGroup fetchGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Optional<MtaStsPolicies> policies = Optional.empty();

    private MtaStsWorld(MutableClock clock, TestCertificates.Authority ca, Duration retry, Duration lifetime) {
        this.clock = clock;
        this.tls = DeliveryWorld.trustOnly(ca, clock);
        this.delivery = DeliveryWorld.start(clock, retry, lifetime, tls);
        this.web = TestPolicyServer.start(ca);
    }

    /** The world, its client and the policy server both trusting {@code ca}. */
    static MtaStsWorld start(MutableClock clock, TestCertificates.Authority ca, Duration retry, Duration lifetime) {
        return new MtaStsWorld(clock, ca, retry, lifetime);
    }

    TestDnsServer dns() {
        return delivery.dns;
    }

    /** dest.test's TXT record (id 1) and its policy file on the web server. */
    void publish(String mode, long maxAge, String... mxPatterns) {
        dns().txt("_mta-sts." + DOMAIN, "v=STSv1; id=1");
        web.domain(DOMAIN).policy(TestPolicyServer.policyText(mode, maxAge, mxPatterns));
    }

    /** An MX record of dest.test naming {@code host}, which is at 127.0.0.1. */
    void mxAt(int preference, String host) {
        dns().mx(DOMAIN, preference, host).a(host, "127.0.0.1");
    }

    /** One message to bob@dest.test, committed now and tried in one scheduler pass. */
    QueueId sendOnce() throws Exception {
        QueueId id = delivery.submit("bob@" + DOMAIN);
        delivery.runOnce();
        return id;
    }

    /** A resolver like {@link DeliveryWorld#resolver()}, but validating DNSSEC from the anchors in this file. */
    DnsResolver validatingResolver(Path trustAnchors) throws IOException {
        return dns().resolverBuilder().timeout(Duration.ofSeconds(2)).cacheSize(0).clock(clock)
                .dnssec(DnssecMode.VALIDATE).trustAnchors(TrustAnchors.fromFile(trustAnchors)).build();
    }

    /** The policy service on this resolver, its cache in {@code cacheDirectory}; {@link #stop} closes it. */
    MtaStsPolicies startPolicies(DnsResolver resolver, Path cacheDirectory, MtaStsEvents events) {
        PolicyFetcher fetcher = PolicyFetcher.builder(resolver, tls, fetchGroup).port(web.port())
                .totalTimeout(ClientFixture.WAIT).build();
        MtaStsPolicies started = MtaStsPolicies.builder(resolver, fetcher, PolicyStore.open(cacheDirectory)).clock(clock)
                .events(events).build();
        policies = Optional.of(started);
        return started;
    }

    /** The policy service {@link #startPolicies} started last. */
    MtaStsPolicies policies() {
        return policies.orElseThrow();
    }

    /** The relay's delivery side stopping: the scheduler, then the policy service; both may start again. */
    void stop() {
        delivery.stopScheduler();
        policies.ifPresent(MtaStsPolicies::close);
        policies = Optional.empty();
    }

    /** Why the message's first recipient is still queued; fails unless it is deferred. */
    String deferredReason(QueueId id) {
        RecipientStatus status = delivery.queue().find(id).orElseThrow().statuses().getFirst();
        assertThat(status).isInstanceOf(RecipientStatus.Deferred.class);
        return ((RecipientStatus.Deferred) status).reason();
    }

    @Override
    public void close() throws Exception {
        stop();
        delivery.close();
        fetchGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        web.close();
    }
}
