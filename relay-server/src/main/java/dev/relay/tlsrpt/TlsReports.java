package dev.relay.tlsrpt;

import dev.relay.tlsrpt.DomainCounts.FailureCount;
import dev.relay.tlsrpt.DomainCounts.PolicyCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Builds a domain's report for a day from its counts (RFC 8460 section 4). */
public final class TlsReports {

    private static final DateTimeFormatter PARTIAL_STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    private TlsReports() {}

    public static TlsReport build(DomainCounts counts, TlsRptSettings settings) {
        return build(counts, settings, TlsReport.DateRange.of(counts.day()),
                reportId(counts.day(), counts.domain(), settings.submitter()));
    }

    /**
     * A report of part of a day ({@code tls-rpt send --now} for today so far): its own id, so the
     * day's whole report that follows is not taken for a copy of it.
     */
    public static TlsReport partial(DomainCounts counts, TlsRptSettings settings, Instant until) {
        Instant start = counts.day().atStartOfDay(ZoneOffset.UTC).toInstant();
        String id = PARTIAL_STAMP.format(until.atOffset(ZoneOffset.UTC)) + "." + counts.domain() + "@" + settings.submitter();
        return build(counts, settings, TlsReport.DateRange.between(start, until), id);
    }

    private static TlsReport build(DomainCounts counts, TlsRptSettings settings, TlsReport.DateRange range, String id) {
        List<TlsReport.PolicyReport> policies = counts.policies().stream()
                .map(policy -> policyReport(counts.domain(), policy)).toList();
        return new TlsReport(settings.organizationName(), range, settings.contactInfo(), id, policies);
    }

    /**
     * {@code 20161231.example.com@submitter.example}: unique per day, domain and submitter, the
     * same when a report is sent again, and shaped like a Message-ID (RFC 8460 section 5.3 puts
     * it in the subject in angle brackets).
     */
    public static String reportId(LocalDate day, String domain, String submitter) {
        return day.format(DateTimeFormatter.BASIC_ISO_DATE) + "." + domain + "@" + submitter;
    }

    private static TlsReport.PolicyReport policyReport(String domain, PolicyCounts counts) {
        return new TlsReport.PolicyReport(
                TlsReport.ReportedPolicy.of(domain, counts.policy()),
                new TlsReport.Summary(counts.successes(), counts.failures()),
                counts.failureRows().stream().map(TlsReports::details).toList());
    }

    private static TlsReport.FailureDetails details(FailureCount row) {
        return TlsReport.FailureDetails.of(row.failure(), row.count());
    }
}
