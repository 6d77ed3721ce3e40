package dev.relay.admin;

import dev.relay.tlsrpt.SentReport;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param dnssec what the start-up DNSSEC check found
 * @param requireTlsSinceStart messages with REQUIRETLS since start by outcome ({@code accepted},
 *     then per attempt at a domain {@code delivered}, {@code deferred}, {@code refused}, {@code failed})
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
        List<TlsPolicyRoutes.Listed> tlsPolicyOverrides,
        Dnssec dnssec,
        Map<String, Long> requireTlsSinceStart) {

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
        Objects.requireNonNull(dnssec, "dnssec");
        // keeps the order given: the page lists them as they come
        requireTlsSinceStart = Collections.unmodifiableMap(new LinkedHashMap<>(requireTlsSinceStart));
    }

    /**
     * Whether DNSSEC works through the configured resolvers, as the start-up check found.
     *
     * @param mode {@code delivery.dns.dnssec}: {@code validate}, {@code trust-ad}, {@code off}
     * @param state {@link #WORKING}, {@link #BROKEN}, {@link #UNKNOWN} (not checked yet, or no
     *     answer) or {@link #OFF}
     * @param detail what was found, and with {@link #BROKEN} what to do, for a mail admin
     */
    public record Dnssec(String mode, String state, String detail) {
        public static final String WORKING = "working";
        public static final String BROKEN = "broken";
        public static final String UNKNOWN = "unknown";
        public static final String OFF = "off";

        /** Before any check: the status page of a relay without delivery. */
        public static final Dnssec UNCHECKED = new Dnssec("validate", UNKNOWN, "not checked (delivery is off)");

        public Dnssec {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Queue depth; the same numbers as the {@code relay_queue_*} gauges. {@code recovering} says,
     * while the messages found in the spool at start are still read, how far that has got (the
     * numbers count only what is read so far).
     */
    public record Queue(long total, long active, long deferred, long held, long bytes, Optional<Long> oldestAgeSeconds,
            Optional<String> recovering) {
        public Queue {
            Objects.requireNonNull(oldestAgeSeconds, "oldestAgeSeconds");
            Objects.requireNonNull(recovering, "recovering");
        }
    }
}
