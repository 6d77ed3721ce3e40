package dev.relay.tlsrpt;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What became of one report at one destination, for {@code tls-rpt show} and the status page.
 *
 * @param day the UTC day reported on
 * @param domain the policy domain
 * @param reportId the report's id
 * @param destination the URI as the domain's record gave it; empty when no report could go
 * @param result {@code sent} (POSTed, 2xx), {@code queued} (mail in the relay's queue),
 *     {@code failed} (given up), {@code retrying}, {@code no-record} or {@code invalid-record}
 * @param detail one line for an admin: the HTTP status, the queue id, the reason
 * @param at when this result came
 */
public record SentReport(LocalDate day, String domain, String reportId, String destination, String result, String detail,
        Instant at) {
    public SentReport {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
