package dev.relay;

import dev.relay.admin.StatusReport;
import dev.relay.concurrent.FutureFailures;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.BounceHandler;
import dev.relay.delivery.DelayNotifier;
import dev.relay.delivery.DeliveryEvents;
import dev.relay.delivery.DeliveryScheduler;
import dev.relay.delivery.WakingQueueEvents;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnssecMode;
import dev.relay.dsn.BounceQueuer;
import dev.relay.dsn.DsnKind;
import dev.relay.dsn.DsnSettings;
import dev.relay.metrics.RelayMetrics;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.mtasts.MtaStsPolicies;
import dev.relay.mtasts.OverriddenPolicies;
import dev.relay.mtasts.PolicyFetcher;
import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyStore;
import dev.relay.network.Transport;
import dev.relay.queue.MessageQueue;
import dev.relay.smtp.client.ClientTimeouts;
import dev.relay.smtp.client.ConnectionPool;
import dev.relay.smtp.client.SmtpClient;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tlsrpt.SessionSink;
import dev.relay.tlspolicy.TlsPolicyOverrides;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound half of the relay as one unit to start and stop: DNS resolver, client TLS,
 * SMTP client, connection pool and the scheduler that feeds them from the queue. Without a
 * usable resolver the relay still starts and queues mail (it says so loudly); delivery then
 * waits for a restart with a working {@code delivery.dns}.
 */
final class Delivery {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    /** How long an idle outbound connection waits for the next message to the same MX. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    private final Optional<DeliveryScheduler> scheduler;
    private final Optional<ConnectionPool> pool;
    private final Optional<SmtpClient> client;
    private final Optional<ExecutorService> dsnWorker;
    private final Optional<MtaSts> mtaSts;
    private final Optional<DnsResolver> dns;
    private final Optional<DnssecSelfCheck> dnssecCheck;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The MTA-STS service and the event loop its policy fetches run on. */
    private record MtaSts(MtaStsPolicies policies, EventLoopGroup group) {
        void close() {
            policies.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Delivery(Optional<DeliveryScheduler> scheduler, Optional<ConnectionPool> pool, Optional<SmtpClient> client,
            Optional<ExecutorService> dsnWorker, Optional<MtaSts> mtaSts, Optional<DnsResolver> dns,
            Optional<DnssecSelfCheck> dnssecCheck) {
        this.scheduler = scheduler;
        this.dnssecCheck = dnssecCheck;
        this.dns = dns;
        this.pool = pool;
        this.client = client;
        this.dsnWorker = dsnWorker;
        this.mtaSts = mtaSts;
    }

    /** The MTA-STS policies in use, for status views and diagnostics; empty when MTA-STS or delivery is off. */
    Optional<MtaStsPolicies> mtaStsPolicies() {
        return mtaSts.map(MtaSts::policies);
    }

    /** The resolver delivery uses (TLS reporting looks records up through it); empty when there is none. */
    Optional<DnsResolver> dns() {
        return dns;
    }

    /** What the start-up DNSSEC check found, for the status page. */
    StatusReport.Dnssec dnssecState() {
        return dnssecCheck.map(DnssecSelfCheck::state).orElse(new StatusReport.Dnssec("-", StatusReport.Dnssec.UNKNOWN,
                "not checked: delivery is off (no usable DNS resolver)"));
    }

    static Delivery start(RelayConfig config, MessageQueue queue, WakingQueueEvents events, Clock clock,
            RelayMetrics metrics, DeliveryEvents deliveryEvents, SessionSink tlsSessions,
            TlsPolicyOverrides overrides, Transport transport) {
        RelayConfig.DeliveryConfig settings = config.delivery();
        DnsResolver dns;
        try {
            dns = DnsResolver.builder().settings(settings.dns()).events(metrics.dnsEvents()).build();
        } catch (RuntimeException e) {
            log.error("delivery is OFF: no usable DNS resolver ({}); mail is accepted and queued, fix delivery.dns "
                    + "and restart", e.getMessage());
            return new Delivery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        // an unusable extra-trust file is the operator's to fix: it stops the start like a bad listener certificate
        ClientTlsContext tls = ClientTlsContext.fromConfig(settings.tls(), clock);
        SmtpClient client;
        try {
            client = SmtpClient.builder(tls).heloName(config.hostname()).timeouts(ClientTimeouts.DEFAULTS)
                    .transport(transport).build();
        } catch (RuntimeException | LinkageError e) {
            // the listeners' loops started on it, so this is rare: a kernel limit reached by the second set
            throw new StartupException("the delivery client could not start on " + transport.label() + " ("
                    + FutureFailures.rootMessage(e) + "); set network.io to a transport this system allows, such as epoll", e);
        }
        ConnectionPool pool = new ConnectionPool(client, poolSettings(settings.maxConnectionsPerDomain()));
        ExecutorService dsnWorker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("dsn").daemon().factory());
        BounceQueuer bounceQueuer = new BounceQueuer(queue, DsnSettings.of(config.hostname(), config.queue().maxLifetime()),
                clock, dsnWorker);
        BounceHandler bounces = (after, failed, original) -> original
                .map(body -> bounceQueuer.queue(after, DsnKind.FAILURE, failed, body))
                .orElseGet(() -> bounceQueuer.queue(after, DsnKind.FAILURE, failed))
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        log.error("dsn for {} could not be queued: {}", after.id(), error.toString());
                    }
                });
        DelayNotifier delays = (message, deferred) -> bounceQueuer.queue(message, DsnKind.DELAY, deferred)
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        log.error("delay warning for {} could not be queued: {}", message.id(), error.toString());
                    }
                });
        Optional<MtaSts> mtaSts = config.mtaSts().enabled()
                ? Optional.of(startMtaSts(config.mtaSts(), dns, tls, clock, metrics))
                : Optional.empty();
        if (mtaSts.isEmpty()) {
            log.warn("MTA-STS is OFF (mta-sts.enabled: false): every domain gets opportunistic TLS");
        }
        DeliveryScheduler.Builder builder = DeliveryScheduler.builder(queue, dns, pool)
                .clock(clock)
                .policies(new OverriddenPolicies(
                        mtaSts.map(m -> DomainPolicies.mtaSts(m.policies())).orElse(DomainPolicies.NONE),
                        overrides::find, clock))
                .bounces(bounces)
                .events(deliveryEvents)
                .tlsSessions(tlsSessions)
                .port(settings.port())
                .policyUnknownWait(config.mtaSts().policyUnknownWait())
                .honourTlsRequiredNo(settings.honourTlsRequiredNo())
                .maxConnectionsPerDomain(settings.maxConnectionsPerDomain());
        config.queue().delayWarningAfter().ifPresent(after -> builder.delayWarnings(after, delays));
        DeliveryScheduler scheduler = builder.build();
        events.attach(scheduler);
        scheduler.start();
        log.info("delivery started: DNS {} (DNSSEC {}), port {}, at most {} connections per domain",
                dns.servers().stream().map(DnsResolver::describe).collect(Collectors.joining(", ")),
                dns.dnssec().label(), settings.port(), settings.maxConnectionsPerDomain());
        if (dns.dnssec() == DnssecMode.OFF) {
            log.warn("DANE is OFF (delivery.dns.dnssec: off): TLSA records are not looked up, MTA-STS alone protects");
        }
        // after the listeners are bound and off this thread: a slow or silent resolver delays nothing
        DnssecSelfCheck dnssecCheck = DnssecSelfCheck.start(dns, !settings.dns().servers().isEmpty(), metrics,
                DnssecSelfCheck.RETRY);
        return new Delivery(Optional.of(scheduler), Optional.of(pool), Optional.of(client), Optional.of(dsnWorker),
                mtaSts, Optional.of(dns), Optional.of(dnssecCheck));
    }

    private static MtaSts startMtaSts(RelayConfig.MtaStsConfig settings, DnsResolver dns, ClientTlsContext tls,
            Clock clock, RelayMetrics metrics) {
        PolicyStore store = PolicyStore.open(settings.cacheDirectory()); // a bad directory stops the start, naming the key
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mta-sts", true),
                NioIoHandler.newFactory());
        PolicyFetcher fetcher = PolicyFetcher.builder(dns, tls, group).port(settings.httpsPort()).build();
        MtaStsPolicies policies = MtaStsPolicies.builder(dns, fetcher, store).clock(clock)
                .events(metrics.mtaStsEvents()).build();
        metrics.policiesCached(() -> cachedByMode(policies));
        policies.start();
        log.info("MTA-STS on: policies cached in {}, fetched from port {}", settings.cacheDirectory(),
                settings.httpsPort());
        return new MtaSts(policies, group);
    }

    /** Cached policies by mode label, for {@code relay_mtasts_policies_cached}. */
    private static Map<String, Long> cachedByMode(MtaStsPolicies policies) {
        return policies.snapshot().stream().flatMap(status -> status.mode().stream())
                .collect(Collectors.groupingBy(PolicyMode::label, Collectors.counting()));
    }

    /**
     * A reload: the remote port, the per-domain connection cap and the policy-unknown wait apply
     * to deliveries started from now on. The resolver, client TLS and the MTA-STS service stay
     * as started (their keys need a restart).
     */
    void reconfigure(RelayConfig config) {
        int perDomain = config.delivery().maxConnectionsPerDomain();
        pool.ifPresent(p -> p.reconfigure(poolSettings(perDomain)));
        scheduler.ifPresent(s -> s.reconfigure(config.delivery().port(), config.mtaSts().policyUnknownWait(), perDomain));
    }

    private static ConnectionPool.Settings poolSettings(int maxConnectionsPerDomain) {
        return new ConnectionPool.Settings(maxConnectionsPerDomain,
                ConnectionPool.Settings.DEFAULTS.maxMessagesPerConnection(), IDLE_TIMEOUT);
    }

    /** Stops taking messages from the queue; deliveries in progress go on. */
    void stopTaking() {
        scheduler.ifPresent(DeliveryScheduler::stopTaking);
    }

    /** Lets deliveries finish within {@code grace}, gives the rest back, closes connections. Idempotent. */
    void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dnssecCheck.ifPresent(DnssecSelfCheck::close);
        scheduler.ifPresent(s -> s.close(grace));
        pool.ifPresent(ConnectionPool::close);
        client.ifPresent(SmtpClient::close);
        mtaSts.ifPresent(MtaSts::close);
        dsnWorker.ifPresent(worker -> {
            // bounces already handed over are composed and committed before the spool closes
            worker.shutdown();
            try {
                if (!worker.awaitTermination(grace.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    log.warn("dsn worker did not finish; a bounce may be composed again after restart");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
