package dev.relay.metrics;

import dev.relay.admin.AdminRoute;
import dev.relay.delivery.DeliveryEvents;
import dev.relay.dns.DnsEvents;
import dev.relay.mtasts.MtaStsEvents;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.smtp.server.SmtpEvents;
import dev.relay.tlsrpt.TlsRptEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The relay's metrics: one registry, and the event seams of the other packages bound to it.
 * Every series whose label values are known in advance is registered here, at construction,
 * with 0. Names are in {@link MetricNames}.
 *
 * <pre>{@code
 * RelayMetrics metrics = RelayMetrics.prometheus(listenerNames, clock);
 * queue   = SpoolQueue.open(..., metrics.queueEvents(QueueEvents.NONE));
 * metrics.watchQueue(queue);
 * new SmtpServer(..., metrics.smtpEvents(SmtpEvents.NONE), ...);
 * DnsResolver.builder().events(metrics.dnsEvents());
 * DeliveryScheduler.builder(...).events(metrics.deliveryEvents());
 * admin.route("GET", "/metrics", false, metrics.scrapeRoute().orElseThrow());
 * }</pre>
 *
 * The MTA-STS methods ({@link #mtaStsEvents}, {@link #enforcementFailure},
 * {@link #policiesCached}) are for the MTA-STS code to call.
 */
public final class RelayMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final Optional<PrometheusMeterRegistry> prometheus;
    private final DnsMeters dns;
    private final DeliveryMeters delivery;
    private final MtaStsMeters mtaSts;
    private final QueueGauges queue;
    private final SmtpMeters smtp;
    private final QueueMeters queueMeters;
    private final JvmGcMetrics gc;
    private final CertificateGauge certificate;
    private final TlsRptMeters tlsRpt;
    private volatile BooleanSupplier ready = () -> false;
    // NaN (no verdict) until the DNSSEC check has one: an alert on 0 then stays quiet
    private volatile double dnssecWorking = Double.NaN;

    /** Overrides in force by kind; empty (zeros) until the relay hands its overrides over. */
    private volatile Supplier<Map<String, Long>> overrides = Map::of;

    private RelayMetrics(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus, List<String> listeners,
            Clock clock) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.dns = new DnsMeters(registry);
        this.mtaSts = new MtaStsMeters(registry);
        this.delivery = new DeliveryMeters(registry, mtaSts);
        this.queue = new QueueGauges(registry, clock, System::nanoTime);
        this.smtp = new SmtpMeters(registry, listeners);
        this.queueMeters = new QueueMeters(registry);
        this.certificate = new CertificateGauge(registry);
        this.tlsRpt = new TlsRptMeters(registry);
        Meters.gaugePerLabel(registry, MetricNames.TLS_POLICY_OVERRIDES_ACTIVE, MetricNames.KIND,
                MetricNames.OVERRIDE_KINDS, this, metrics -> metrics.overrides.get());
        Gauge.builder(MetricNames.DNSSEC_VALIDATION_WORKING.meterName(), this, metrics -> metrics.dnssecWorking)
                .description(MetricNames.DNSSEC_VALIDATION_WORKING.help())
                .register(registry);
        Gauge.builder(MetricNames.READY.meterName(), this, metrics -> metrics.ready.getAsBoolean() ? 1 : 0)
                .description(MetricNames.READY.help())
                .register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /**
     * A Prometheus registry with the relay's meters and the JVM and process metrics.
     *
     * @param listeners the SMTP listener names ({@code ListenerConfig.name()}), registered with 0
     * @param clock the relay's clock, for the age of the oldest queued message
     */
    public static RelayMetrics prometheus(List<String> listeners, Clock clock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new RelayMetrics(registry, Optional.of(registry), listeners, clock);
    }

    /** The same meters on any registry (tests read a {@code SimpleMeterRegistry}); no scrape route. */
    public static RelayMetrics on(MeterRegistry registry, List<String> listeners, Clock clock) {
        return new RelayMetrics(registry, Optional.empty(), listeners, clock);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code GET /metrics} for the admin server; present for a Prometheus registry. */
    public Optional<AdminRoute> scrapeRoute() {
        return prometheus.map(ScrapeRoute::new);
    }

    /** Listener events that count, then pass each event on to {@code downstream}. */
    public SmtpEvents smtpEvents(SmtpEvents downstream) {
        return SmtpEvents.NONE.equals(downstream) ? smtp : SmtpEvents.both(smtp, downstream);
    }

    public DnsEvents dnsEvents() {
        return dns;
    }

    /** Queue events that count, then pass each event on to {@code downstream}. */
    public QueueEvents queueEvents(QueueEvents downstream) {
        return QueueEvents.NONE.equals(downstream) ? queueMeters : QueueEvents.both(queueMeters, downstream);
    }

    public DeliveryEvents deliveryEvents() {
        return delivery;
    }

    /** What TLS reporting counts: sessions by policy and result, reports by transport and result. */
    public TlsRptEvents tlsRptEvents() {
        return tlsRpt;
    }

    /** What the MTA-STS service reports: fetches by result, failed refreshes. */
    public MtaStsEvents mtaStsEvents() {
        return mtaSts;
    }

    /**
     * Feeds {@code relay_spool_free_bytes} from the file system holding the spool directory;
     * 0 until then, or when it cannot be read.
     */
    public void watchSpool(java.nio.file.Path directory) throws java.io.IOException {
        queueMeters.watchSpool(directory);
    }

    /** Feeds {@code relay_queue_messages} and {@code relay_queue_oldest_seconds} from this queue. */
    public void watchQueue(MessageQueue queue) {
        this.queue.watch(queue);
    }

    /**
     * An MX host was skipped (or a domain deferred) to enforce its policy; {@code reason} is one
     * of {@link MetricNames#ENFORCEMENT_REASONS}.
     */
    public void enforcementFailure(String reason) {
        mtaSts.enforcementFailure(reason);
    }

    /** A testing-mode policy check failed; the mail went anyway. Same reasons as enforcement. */
    public void testingFailure(String reason) {
        mtaSts.testingFailure(reason);
    }

    /**
     * What the DNSSEC self-check found, for {@code relay_dnssec_validation_working} (NaN until
     * then, and for good with DNSSEC off or while the servers are silent).
     */
    public void dnssecValidation(boolean working) {
        dnssecWorking = working ? 1 : 0;
    }

    /**
     * {@code relay_requiretls_messages_total} since start by outcome, in the enum's order
     * ({@code accepted}, {@code delivered}, {@code deferred}, {@code refused}, {@code failed}),
     * for the status page.
     */
    public Map<String, Long> requireTlsSinceStart() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeliveryEvents.RequireTls outcome : DeliveryEvents.RequireTls.values()) {
            Counter counter = registry.find(MetricNames.REQUIRETLS_MESSAGES.meterName())
                    .tag(MetricNames.OUTCOME, outcome.label()).counter();
            counts.put(outcome.label(), counter == null ? 0L : (long) counter.count());
        }
        return counts;
    }

    /** Where {@code relay_ready} comes from: what {@code /health/ready} answers. */
    public void readiness(BooleanSupplier ready) {
        this.ready = ready;
    }

    /**
     * Where {@code relay_tls_policy_overrides_active{kind}} comes from: overrides in force by
     * kind ({@code require}, {@code suspend}). Called at each scrape, once per kind.
     */
    public void tlsPolicyOverrides(Supplier<Map<String, Long>> byKind) {
        this.overrides = Objects.requireNonNull(byKind, "byKind");
    }

    /**
     * The relay's own certificate in use now expires at {@code notAfter} (empty: no certificate),
     * for {@code relay_tls_certificate_expiry_seconds}. Call again when a new one is loaded.
     */
    public void serverCertificate(Optional<Instant> notAfter) {
        certificate.set(notAfter);
    }

    /**
     * Where {@code relay_mtasts_policies_cached{mode}} comes from: policies in the cache by mode
     * ({@code enforce}, {@code testing}, {@code none}). Called at each scrape, once per mode.
     */
    public void policiesCached(Supplier<Map<String, Long>> byMode) {
        mtaSts.cached(byMode);
    }

    /** Releases the GC listeners. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
