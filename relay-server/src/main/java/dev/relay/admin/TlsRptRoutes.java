package dev.relay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.tlsrpt.DailyReports;
import dev.relay.tlsrpt.DomainCounts;
import dev.relay.tlsrpt.SentReport;
import dev.relay.tlsrpt.SessionCounters;
import dev.relay.tlsrpt.TlsSession;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * TLS reporting for operators: {@code GET /api/tls-rpt[?domain=D]} (today's counts per policy
 * domain, reports waiting, and what became of the reports of the last days) and
 * {@code POST /api/tls-rpt/send} (send what is waiting now, and a report of today so far).
 */
public final class TlsRptRoutes {

    static final String PATH = "/api/tls-rpt";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** {@code tls-rpt show}: what the relay holds. */
    public record Shown(boolean enabled, String today, List<DomainToday> domains, int waitingReports,
            List<SentReport> reports) {}

    public record DomainToday(String domain, long successes, long failures, List<PolicyToday> policies) {}

    public record PolicyToday(String type, long successes, long failures, List<FailureToday> failureDetails) {}

    public record FailureToday(String resultType, Optional<String> receivingMx, Optional<String> receivingIp,
            Optional<String> sendingIp, Optional<String> reasonCode, long count) {}

    /** {@code tls-rpt send --now}: the reports started. */
    public record Started(List<String> reports) {}

    private final Optional<SessionCounters> counters;
    private final Optional<DailyReports> reports;

    /** Both empty when TLS reporting is off. */
    public TlsRptRoutes(Optional<SessionCounters> counters, Optional<DailyReports> reports) {
        this.counters = counters;
        this.reports = reports;
    }

    public AdminServer.Builder addTo(AdminServer.Builder server) {
        server.route("GET", PATH, false, this::show);
        return server.route("POST", PATH + "/send", false, this::send);
    }

    AdminResponse show(AdminRequest request) throws Exception {
        if (!request.path().equals(PATH)) {
            return AdminResponse.notFound(request.path());
        }
        Optional<String> domain = request.queryParam("domain").map(d -> d.toLowerCase(Locale.ROOT));
        if (counters.isEmpty()) {
            return json(200, new Shown(false, "", List.of(), 0, List.of()));
        }
        LocalDate today = counters.get().today();
        List<DomainToday> domains = counters.get().day(today).map(day -> day.domains().stream()
                .filter(d -> domain.isEmpty() || d.domain().equals(domain.get()))
                .map(TlsRptRoutes::view).toList()).orElse(List.of());
        int waiting = reports.isEmpty() ? 0 : reports.get().pending().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        List<SentReport> sent = reports.map(r -> r.history().all().stream()
                .filter(s -> domain.isEmpty() || s.domain().equals(domain.get())).toList()).orElse(List.of());
        return json(200, new Shown(true, today.toString(), domains, waiting, sent));
    }

    AdminResponse send(AdminRequest request) throws Exception {
        if (reports.isEmpty()) {
            return json(409, new QueueReplies.Refusal(
                    "TLS reporting is off on this relay (tls-rpt.enabled: false, or delivery has no DNS)"));
        }
        return json(200, new Started(reports.get().sendNow().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)));
    }

    private static DomainToday view(DomainCounts counts) {
        return new DomainToday(counts.domain(), counts.successes(), counts.failures(), counts.policies().stream()
                .map(p -> new PolicyToday(p.policy().type().label(), p.successes(), p.failures(), p.failureRows().stream()
                        .map(row -> {
                            TlsSession.Failure f = row.failure();
                            return new FailureToday(f.resultType(), f.receivingMxHostname(), f.receivingIp(),
                                    f.sendingMtaIp(), f.failureReasonCode(), row.count());
                        }).toList()))
                .toList());
    }

    private static AdminResponse json(int status, Object value) throws JsonProcessingException {
        return AdminResponse.json(status, AdminJson.mapper().writeValueAsString(value));
    }
}
