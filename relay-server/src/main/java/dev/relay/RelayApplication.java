package dev.relay;

import dev.relay.admin.AdminServer;
import dev.relay.admin.MtaStsRoutes;
import dev.relay.admin.MtaStsStatus;
import dev.relay.admin.MtaStsView;
import dev.relay.admin.QueueRoutes;
import dev.relay.admin.RecentDeliveries;
import dev.relay.admin.RecentEnforcementFailures;
import dev.relay.admin.ReloadOutcome;
import dev.relay.admin.ReloadRoutes;
import dev.relay.admin.TlsPolicyRoutes;
import dev.relay.admin.StatusRoutes;
import dev.relay.admin.TlsRptRoutes;
import dev.relay.auth.Authenticator;
import dev.relay.auth.UsersFile;
import dev.relay.config.LoadedConfig;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.DeliveryEvents;
import dev.relay.delivery.DeliveryScheduler;
import dev.relay.delivery.WakingQueueEvents;
import dev.relay.metrics.RelayMetrics;
import dev.relay.mtasts.MtaStsPolicies;
import dev.relay.network.NetworkIo;
import dev.relay.queue.Admission;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.RecoveryPace;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.queue.spool.SpoolTuning;
import dev.relay.smtp.server.ConnectionLimiter;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.RelayNetworks;
import dev.relay.smtp.server.SmtpEvents;
import dev.relay.smtp.server.SmtpResources;
import dev.relay.smtp.server.SmtpServer;
import dev.relay.smtp.server.SmtpSettings;
import dev.relay.text.Durations;
import dev.relay.tls.ServerTlsContext;
import dev.relay.tlsrpt.DailyReports;
import dev.relay.tlsrpt.SessionSink;
import dev.relay.tlspolicy.TlsPolicyOverrides;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay: the one place that creates the collaborators and wires them together,
 * and the order in which they start and stop. Start: the meters (registration only), the spool
 * (recovery), then the delivery (DNS, outbound client, pool, scheduler), then the listeners, so
 * no 250 can be given before the queue is open, then the admin server, which reports ready from
 * then on. Stop:
 * readiness goes to 503 first (so a load balancer stops sending), listeners and the scheduler
 * stop taking work, transactions and deliveries in progress get the grace period, deliveries
 * still running are given back to the queue, the outbound side closes, the spool is closed,
 * and the admin server goes last.
 */
public final class RelayApplication {
    private static final Logger log = LoggerFactory.getLogger(RelayApplication.class);

    private final MessageQueue queue;
    private final Reloader reloader;
    private final SmtpResources smtpResources;
    private final Delivery delivery;
    private final List<SmtpServer> servers;
    private final List<InetSocketAddress> smtpAddresses;
    private final AdminServer admin;
    private final AtomicBoolean ready;
    private final RelayMetrics metrics;
    private final Optional<TlsReporting> tlsRpt;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object stopLock = new Object();
    private boolean stopping;

    private RelayApplication(Reloader reloader, MessageQueue queue, SmtpResources smtpResources, Delivery delivery,
            List<SmtpServer> servers, List<InetSocketAddress> smtpAddresses, AdminServer admin, AtomicBoolean ready,
            RelayMetrics metrics, Optional<TlsReporting> tlsRpt) {
        this.reloader = reloader;
        this.tlsRpt = tlsRpt;
        this.queue = queue;
        this.smtpResources = smtpResources;
        this.delivery = delivery;
        this.servers = List.copyOf(servers);
        this.smtpAddresses = List.copyOf(smtpAddresses);
        this.admin = admin;
        this.ready = ready;
        this.metrics = metrics;
    }

    public static Builder builder(RelayConfig config) {
        return new Builder(config);
    }

    public static RelayApplication start(RelayConfig config) {
        return builder(config).start();
    }

    /** Optional collaborators for tests and benchmarks; production uses the defaults. */
    public static final class Builder {
        private final RelayConfig config;
        private QueueEvents queueEvents = QueueEvents.NONE;
        private SmtpEvents smtpEvents = SmtpEvents.NONE;
        private Clock clock = Clock.systemUTC();
        private Optional<MtaStsView> mtaStsView = Optional.empty();
        private Duration tlsRptTick = DailyReports.DEFAULT_TICK;
        private Optional<Supplier<LoadedConfig>> reloadFrom = Optional.empty();
        private RecoveryPace recoveryPace = RecoveryPace.NONE;

        private Builder(RelayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder queueEvents(QueueEvents events) {
            this.queueEvents = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder smtpEvents(SmtpEvents events) {
            this.smtpEvents = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * What the status page shows about MTA-STS policies and enforcement failures, in place
         * of the running MTA-STS service's own (for tests of the page).
         */
        public Builder mtaStsView(MtaStsView view) {
            this.mtaStsView = Optional.of(view);
            return this;
        }

        /** How often the TLS report sender looks for due work (tests with a moved clock look often). */
        public Builder tlsRptTick(Duration tick) {
            this.tlsRptTick = Objects.requireNonNull(tick, "tick");
            return this;
        }

        /**
         * Where a reload ({@code SIGHUP}, {@code relay.jar reload}) reads the configuration from:
         * the file {@code run} was started with. Without it a reload re-applies the start's.
         */
        public Builder reloadFrom(Supplier<LoadedConfig> source) {
            this.reloadFrom = Optional.of(source);
            return this;
        }

        /**
         * Called before each old spool segment the start-up replay reads (tests hold the replay
         * here to see the relay greet and accept while it runs).
         */
        public Builder recoveryPace(RecoveryPace pace) {
            this.recoveryPace = Objects.requireNonNull(pace, "pace");
            return this;
        }

        /**
         * Opens the spool and binds every listener. The messages already in the spool are read
         * in the background meanwhile: a large queue does not keep the listeners shut, and new
         * mail is accepted while it is read (see {@link SpoolQueue#openRecovering}).
         *
         * @throws StartupException for what the operator can fix (port in use, spool locked or
         *     unreadable, bad certificate, a {@code network.io} this system does not allow);
         *     everything opened so far is closed again
         */
        public RelayApplication start() {
            checkTransport(config.network().io());
            Optional<SslContext> serverTls = config.tls().map(ServerTlsContext::load);
            Authenticator authenticator = config.usersFile().<Authenticator>map(UsersFile::load)
                    .orElse(Authenticator.NONE);
            // registering the meters is all this does; the queue's gauges follow once it is open
            RelayMetrics metrics = RelayMetrics.prometheus(
                    config.listeners().stream().map(ListenerConfig::name).toList(), clock);
            metrics.serverCertificate(config.tls().map(ServerTlsContext::expiry));
            WakingQueueEvents events = DeliveryScheduler.wakingEvents(metrics.queueEvents(queueEvents));
            RecentDeliveries recentDeliveries = new RecentDeliveries(clock);
            RecentEnforcementFailures recentFailures = new RecentEnforcementFailures(clock,
                    RecentEnforcementFailures.DEFAULT_CAPACITY);
            // the replay of the spool found here waits for the listeners: on a small machine it
            // would otherwise take CPU from the start, and the first 220 matters more
            CountDownLatch listenersBound = new CountDownLatch(1);
            SpoolQueue queue;
            Delivery delivery;
            TlsPolicyOverrides overrides;
            try {
                queue = openQueue(events.queueEvents(), listenersBound);
            } catch (RuntimeException e) {
                metrics.close();
                throw e;
            }
            try {
                overrides = TlsPolicyOverrides.open(config.spool().directory(), config.tlsPolicyOverrides(), clock);
            } catch (UncheckedIOException e) {
                closeQuietly(queue);
                metrics.close();
                throw new StartupException("tls-policy: the suspensions kept in the spool directory cannot be read: "
                        + e.getMessage() + " (move the file aside to start without them)", e);
            }
            metrics.tlsPolicyOverrides(overrides::countsByKind);
            metrics.watchQueue(queue);
            // The listeners are bound before delivery starts, so a taken port stops the start
            // before anything else is logged as running. Mail accepted in between waits in the
            // queue for the scheduler's first look.
            SmtpResources resources;
            try {
                resources = config.network().io().start(SmtpResources::create, (failed, why) -> log.warn(
                        "network I/O: {} did not start ({}); trying the next transport", failed.label(), why));
            } catch (IllegalStateException e) {
                closeQuietly(queue);
                metrics.close();
                throw new StartupException(e.getMessage(), e);
            }
            ConnectionLimiter limiter = new ConnectionLimiter(
                    config.limits().maxConnections(), config.limits().maxConnectionsPerClient());
            List<SmtpServer> servers = new ArrayList<>();
            List<InetSocketAddress> addresses;
            try {
                metrics.watchSpool(config.spool().directory());
            } catch (IOException e) {
                log.warn("cannot read the free space of the spool's file system: {}", e.getMessage());
            }
            Optional<TlsReporting> tlsRpt;
            try {
                tlsRpt = TlsReporting.open(config, clock, metrics.tlsRptEvents());
            } catch (RuntimeException e) {
                closeQuietly(queue);
                metrics.close();
                throw e;
            }
            try {
                addresses = bindListeners(queue, authenticator, serverTls, limiter, resources, metrics, servers);
                listenersBound.countDown();
                delivery = Delivery.start(config, queue, events, clock, metrics,
                        DeliveryEvents.both(metrics.deliveryEvents(),
                                DeliveryEvents.both(recentDeliveries.events(), recentFailures)),
                        tlsRpt.map(TlsReporting::sink).orElse(SessionSink.NONE), overrides, resources.transport());
                Delivery started = delivery;
                tlsRpt.ifPresent(reporting -> reporting.startSending(started.dns(), queue, config, tlsRptTick));
            } catch (RuntimeException e) {
                servers.forEach(SmtpServer::close);
                resources.close();
                tlsRpt.ifPresent(TlsReporting::close);
                closeQuietly(queue);
                metrics.close();
                throw e;
            }
            Reloader reloader = new Reloader(config, reloadFrom.orElse(
                    () -> new LoadedConfig(config, List.of(), "the configuration the relay started with")),
                    servers, limiter, queue, delivery, overrides, metrics);
            AtomicBoolean ready = new AtomicBoolean();
            metrics.readiness(ready::get);
            AdminServer admin;
            try {
                MtaStsView mtaSts = mtaStsView.orElseGet(() -> new MtaStsStatus(
                        () -> delivery.mtaStsPolicies().map(MtaStsPolicies::snapshot).orElse(List.of()), recentFailures,
                        () -> delivery.mtaStsPolicies().map(MtaStsPolicies::stalePolicies).orElse(List.of())));
                TlsPolicyRoutes tlsPolicyRoutes = new TlsPolicyRoutes(overrides, clock);
                admin = startAdmin(ready, queue, metrics, new QueueRoutes(queue, clock, events::wakeScheduler),
                        new StatusRoutes(queue, recentDeliveries, mtaSts, config.hostname(), clock, tlsPolicyRoutes::list)
                                .withTlsReports(() -> tlsRpt.flatMap(TlsReporting::reports).map(r -> r.history().all())
                                        .orElse(List.of()))
                                .withDnssec(delivery::dnssecState)
                                .withRequireTls(metrics::requireTlsSinceStart),
                        new MtaStsRoutes(delivery.mtaStsPolicies()), new ReloadRoutes(reloader::reload),
                        tlsPolicyRoutes,
                        new TlsRptRoutes(tlsRpt.map(TlsReporting::counters), tlsRpt.flatMap(TlsReporting::reports)));
            } catch (IOException | RuntimeException e) {
                servers.forEach(SmtpServer::close);
                resources.close();
                delivery.close(java.time.Duration.ZERO);
                tlsRpt.ifPresent(TlsReporting::close);
                closeQuietly(queue);
                metrics.close();
                if (e instanceof IOException io) {
                    throw new StartupException(io.getMessage(), io);
                }
                if (e instanceof IllegalArgumentException bad) {
                    throw new StartupException(bad.getMessage(), bad);
                }
                throw (RuntimeException) e;
            }
            ready.set(true);
            log.info("relay {} started: SMTP on {}, admin on {}, spool {}", config.hostname(), addresses,
                    admin.address(), config.spool().directory());
            queue.recovering().ifPresent(progress -> log.info("{}", progress.describe()));
            return new RelayApplication(reloader, queue, resources, delivery, servers, addresses, admin, ready, metrics,
                    tlsRpt);
        }

        /**
         * Binds every SMTP listener, adding each to {@code servers} as it is made (so the caller
         * can close them on failure); a listener that cannot bind stops the start with a message
         * naming its key, {@code listeners[i].address}.
         */
        private List<InetSocketAddress> bindListeners(MessageQueue queue, Authenticator authenticator,
                Optional<SslContext> serverTls, ConnectionLimiter limiter, SmtpResources resources, RelayMetrics metrics,
                List<SmtpServer> servers) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < config.listeners().size(); i++) {
                ListenerConfig listener = config.listeners().get(i);
                SmtpServer server = new SmtpServer(new SmtpSettings(config.hostname(), listener, config.limits(),
                        RelayNetworks.parse(config.relayNetworks()), config.delivery().requireTls()), queue, authenticator,
                        serverTls, limiter, resources, metrics.smtpEvents(smtpEvents), clock);
                servers.add(server);
                try {
                    addresses.add(server.start());
                } catch (IOException | IllegalArgumentException e) {
                    throw new StartupException("listeners[" + i + "].address: " + e.getMessage(), e);
                }
            }
            return addresses;
        }

        /** The admin server; routes are added here. Ready stays false until start has finished. */
        private AdminServer startAdmin(AtomicBoolean ready, MessageQueue queue, RelayMetrics metrics, QueueRoutes queueRoutes,
                StatusRoutes statusRoutes, MtaStsRoutes mtaStsRoutes, ReloadRoutes reloadRoutes,
                TlsPolicyRoutes tlsPolicyRoutes, TlsRptRoutes tlsRptRoutes) throws IOException {
            AdminServer.Builder admin = AdminServer.builder(config.admin().address())
                    .token(config.admin().token())
                    .notReadyWhen(() -> notReady(ready, queue));
            metrics.scrapeRoute().ifPresent(scrape -> admin.route("GET", "/metrics", false, scrape));
            queueRoutes.addTo(admin);
            statusRoutes.addTo(admin);
            mtaStsRoutes.addTo(admin);
            tlsRptRoutes.addTo(admin);
            reloadRoutes.addTo(admin);
            tlsPolicyRoutes.addTo(admin);
            try {
                return admin.start();
            } catch (IOException e) {
                throw new IOException("admin.address: " + e.getMessage(), e);
            }
        }

        /**
         * Why {@code /health/ready} says 503: starting or stopping, or the queue refuses new mail
         * (spool full, a write that just failed, below {@code spool.min-free-space}, at
         * {@code spool.max-messages}), since every message would get 452 here.
         */
        private static Optional<String> notReady(AtomicBoolean ready, MessageQueue queue) {
            if (!ready.get()) {
                return Optional.of("not ready");
            }
            try {
                return queue.admission() instanceof Admission.Refused refused
                        ? Optional.of("new mail is refused: " + refused.reason())
                        : Optional.empty();
            } catch (IllegalStateException closed) {
                return Optional.of("not ready");
            }
        }

        /** Whether the transport {@code network.io} names can run here, before anything is opened. */
        private static void checkTransport(NetworkIo io) {
            try {
                io.transport();
            } catch (IllegalStateException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }

        private SpoolQueue openQueue(QueueEvents events, CountDownLatch listenersBound) {
            RelayConfig.QueueConfig q = config.queue();
            QueueSettings settings = new QueueSettings(new RetrySchedule(q.retrySchedule(), q.maxLifetime()),
                    config.spool().minFreeSpace(), config.spool().maxMessages());
            try {
                return SpoolQueue.openRecovering(config.spool().directory(), settings, SpoolTuning.DEFAULT, clock, events,
                        segment -> {
                            try {
                                listenersBound.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new InterruptedIOException("the start was stopped");
                            }
                            recoveryPace.beforeSegment(segment);
                        });
            } catch (IOException | UncheckedIOException e) {
                throw new StartupException("spool.directory: cannot open " + config.spool().directory() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Re-reads the configuration and applies what can change live (see {@link Reloader});
     * {@code who} asked, for the log. A refused configuration changes nothing.
     */
    public ReloadOutcome reload(String who) {
        return reloader.reload(who);
    }

    /** The bound SMTP addresses, in listener order (real ports when configured as 0). */
    public List<InetSocketAddress> smtpAddresses() {
        return smtpAddresses;
    }

    /** The bound admin HTTP address (real port when configured as 0). */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The registry and event seams; the MTA-STS code reports through it. */
    public RelayMetrics metrics() {
        return metrics;
    }

    /**
     * True from the end of start until stop begins. {@code /health/ready} answers 200 only while
     * this is true and the queue takes new mail (see {@code notReady}).
     */
    public boolean ready() {
        return ready.get();
    }

    public MessageQueue queue() {
        return queue;
    }

    /**
     * Graceful stop: listeners stop accepting, sessions in a transaction may finish within
     * {@code shutdown-grace}, the rest get 421, and the spool is synced and closed. Idempotent.
     */
    public void stop() {
        synchronized (stopLock) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        ready.set(false);
        try {
            log.info("stopping: no new connections; transactions in progress have {}",
                    Durations.format(reloader.running().shutdownGrace()));
            servers.forEach(SmtpServer::stopAccepting);
            delivery.stopTaking();
            long deadline = System.nanoTime() + reloader.running().shutdownGrace().toNanos();
            for (SmtpServer server : servers) {
                long left = Math.max(0, deadline - System.nanoTime());
                server.awaitTransactions(java.time.Duration.ofNanos(left));
            }
            delivery.close(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            servers.forEach(SmtpServer::close);
            smtpResources.close();
            delivery.close(java.time.Duration.ZERO); // idempotent: gives back whatever an interrupt left running
            tlsRpt.ifPresent(TlsReporting::close); // before the spool: report mail is committed through it
            closeQuietly(queue);
            admin.close();
            metrics.close();
            log.info("relay stopped");
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private static void closeQuietly(MessageQueue queue) {
        try {
            queue.close();
        } catch (IOException | RuntimeException e) {
            log.error("closing the spool failed: {}", e.toString());
        }
    }
}
