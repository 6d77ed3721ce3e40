package dev.relay.admin;

import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueSnapshot;
import dev.relay.queue.RecoveryProgress;
import dev.relay.tlsrpt.SentReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The status page for people: {@code /} (HTML), {@code /status.js} and {@code /status.css}
 * are public and carry no data; the page's script fetches {@code /api/status}
 * ({@link StatusReport}), which needs the admin token like the rest of the API. When a token
 * is set the page asks for it once and keeps it in the tab's sessionStorage (or takes it from
 * a {@code #token=...} fragment, which never leaves the browser). Everything remote (domains,
 * reasons, addresses) is put into the page as text, never as markup.
 */
public final class StatusRoutes {

    /** How many of the oldest messages the page lists. */
    static final int OLDEST_SHOWN = 10;
    static final String STATUS_PATH = "/api/status";

    private static final Map<String, AdminResponse> ASSETS = Map.of(
            "/", asset("index.html", AdminResponse.HTML),
            "/index.html", asset("index.html", AdminResponse.HTML),
            "/status.js", asset("status.js", "text/javascript; charset=utf-8"),
            "/status.css", asset("status.css", "text/css; charset=utf-8"));

    private final MessageQueue queue;
    private final RecentDeliveries deliveries;
    private final MtaStsView mtaSts;
    private final String hostname;
    private final Clock clock;
    private Supplier<List<SentReport>> tlsReports = List::of;
    private Supplier<Map<String, Long>> requireTls = Map::of;
    private Supplier<StatusReport.Dnssec> dnssec = () -> StatusReport.Dnssec.UNCHECKED;
    private final Supplier<List<TlsPolicyRoutes.Listed>> overrides;

    public StatusRoutes(MessageQueue queue, RecentDeliveries deliveries, MtaStsView mtaSts, String hostname, Clock clock) {
        this(queue, deliveries, mtaSts, hostname, clock, List::of);
    }

    /** @param overrides the TLS policy overrides in force ({@link TlsPolicyRoutes#list}) */
    public StatusRoutes(MessageQueue queue, RecentDeliveries deliveries, MtaStsView mtaSts, String hostname, Clock clock,
            Supplier<List<TlsPolicyRoutes.Listed>> overrides) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.mtaSts = Objects.requireNonNull(mtaSts, "mtaSts");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The TLS reports of the last days, for the page (when TLS reporting is on). */
    public StatusRoutes withTlsReports(Supplier<List<SentReport>> reports) {
        this.tlsReports = Objects.requireNonNull(reports, "reports");
        return this;
    }

    /** What the start-up DNSSEC check found, for the page. */
    public StatusRoutes withDnssec(Supplier<StatusReport.Dnssec> state) {
        this.dnssec = Objects.requireNonNull(state, "state");
        return this;
    }

    /** REQUIRETLS messages since start by outcome ({@code relay_requiretls_messages_total}), for the page. */
    public StatusRoutes withRequireTls(Supplier<Map<String, Long>> counts) {
        this.requireTls = Objects.requireNonNull(counts, "counts");
        return this;
    }

    public AdminServer.Builder addTo(AdminServer.Builder server) {
        return server.route("GET", "/", true, StatusRoutes::asset)
                .route("GET", STATUS_PATH, false, request -> {
                    try {
                        return QueueRoutes.ok(report());
                    } catch (IllegalStateException closed) {
                        return QueueRoutes.error(503, "the queue is not available: " + closed.getMessage());
                    }
                });
    }

    /** The report as of now. */
    public StatusReport report() {
        Instant now = clock.instant();
        QueueSnapshot snapshot = queue.snapshot();
        StatusReport.Queue depth = new StatusReport.Queue(snapshot.total(), snapshot.active(), snapshot.deferred(),
                snapshot.held(), snapshot.bytes(),
                snapshot.oldestArrival().map(arrival -> Math.max(0, Duration.between(arrival, now).toSeconds())),
                queue.recovering().map(RecoveryProgress::describe));
        return new StatusReport(now, hostname, depth,
                queue.oldest(OLDEST_SHOWN).stream().map(message -> MessageView.of(message, now)).toList(),
                deliveries.lastHour(), mtaSts.policies(), mtaSts.recentFailures(), tlsReports.get().reversed(),
                mtaSts.stalePolicies(), overrides.get(), dnssec.get(),
                requireTls.get());
    }

    /** The page's own files; every other path under {@code /} is unknown. */
    private static AdminResponse asset(AdminRequest request) {
        AdminResponse found = ASSETS.get(request.path());
        return found != null ? found : AdminResponse.notFound("no such page");
    }

    private static AdminResponse asset(String name, String contentType) {
        try (InputStream in = StatusRoutes.class.getResourceAsStream("status/" + name)) {
            if (in == null) {
                throw new IllegalStateException("status page file missing from the jar: " + name);
            }
            return AdminResponse.bytes(200, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
