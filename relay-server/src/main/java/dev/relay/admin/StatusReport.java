package dev.relay.admin;

import dev.relay.tlsrpt.SentReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the status page shows, as {@code GET /api/status} returns it: everything a person
 * needs to see at a glance whether mail is flowing.
 *
 * @param now the relay's clock when the report was made; the page shows ages against it
 * @param hostname the relay's name ({@code hostname})
 * @param queue depth by state and the oldest message's age
 * @param oldest the few oldest queued messages
 * @param deliveriesLastHour outcomes over the last hour
 * @param policies cached MTA-STS policies
 * @param enforcementFailures the latest MTA-STS enforcement failures, newest first
 * @param tlsReports TLS reports of the last days and what became of them, newest first (empty
 *     when TLS reporting is off)
 * @param stalePolicies domains whose cached policy was found out of step with the live one
 * @param tlsPolicyOverrides the local TLS policy overrides in force, with their remaining time
 */
public record StatusReport(
        Instant now,
        String hostname,
        Queue queue,
        List<MessageView> oldest,
        RecentDeliveries.Counts deliveriesLastHour,
        List<MtaStsView.PolicyRow> policies,
        List<MtaStsView.EnforcementFailureRow> enforcementFailures,
        List<SentReport> tlsReports,
        List<MtaStsView.StalePolicyRow> stalePolicies,
        List<TlsPolicyRoutes.Listed> tlsPolicyOverrides) {

    public StatusReport {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(queue, "queue");
        oldest = List.copyOf(oldest);
        Objects.requireNonNull(deliveriesLastHour, "deliveriesLastHour");
        policies = List.copyOf(policies);
        enforcementFailures = List.copyOf(enforcementFailures);
        tlsReports = List.copyOf(tlsReports);
        stalePolicies = List.copyOf(stalePolicies);
        tlsPolicyOverrides = List.copyOf(tlsPolicyOverrides);
    }

    /** Queue depth; the same numbers as the {@code relay_queue_*} gauges. */
    public record Queue(long total, long active, long deferred, long held, long bytes, Optional<Long> oldestAgeSeconds) {
        public Queue {
            Objects.requireNonNull(oldestAgeSeconds, "oldestAgeSeconds");
        }
    }
}
