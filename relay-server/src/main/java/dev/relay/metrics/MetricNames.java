package dev.relay.metrics;

import dev.relay.mtasts.FetchFailure;
import dev.relay.mtasts.PolicyMode;
import dev.relay.outcome.Cause;
import dev.relay.queue.WriteFailure;
import dev.relay.tls.TlsProblem;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every metric the relay defines itself, in one place: the Prometheus name (the contract in
 * DESIGN.md: add, never rename), the Micrometer name it is registered under, its labels and its
 * help text. The JVM and process metrics come from Micrometer's binders and are not listed.
 *
 * <p>Label values known in advance are registered at start with 0 (see the value lists below),
 * so dashboards and alerts see a zero rather than nothing.
 */
public final class MetricNames {

    /**
     * @param prometheusName the name in the scrape ({@code _total} included for counters; a
     *     histogram or summary adds {@code _count}, {@code _sum} and {@code _bucket} to it)
     * @param meterName the Micrometer name; the Prometheus naming convention turns it into
     *     {@code prometheusName}
     */
    public record Metric(String prometheusName, String meterName, List<String> labels, String help) {
        public Metric {
            Objects.requireNonNull(prometheusName, "prometheusName");
            Objects.requireNonNull(meterName, "meterName");
            labels = List.copyOf(labels);
            Objects.requireNonNull(help, "help");
        }
    }

    // label names
    public static final String LISTENER = "listener";
    public static final String REASON = "reason";
    public static final String STATE = "state";
    public static final String RESULT = "result";
    public static final String TLS = "tls";
    public static final String MTA_STS_MODE = "mta_sts_mode";
    public static final String OUTCOME = "outcome";
    public static final String VERSION = "version";
    public static final String VERIFIED = "verified";
    public static final String TYPE = "type";
    public static final String MODE = "mode";
    public static final String ACTION = "action";
    public static final String STATUS = "status";
    public static final String TRANSPORT = "transport";
    public static final String POLICY = "policy";
    public static final String KIND = "kind";

    public static final Metric READY = new Metric("relay_ready", "relay.ready", List.of(),
            "1 while the relay is ready (spool open, listeners bound, not stopping), as /health/ready answers; else 0");
    public static final Metric SMTP_CONNECTIONS_ACTIVE = new Metric("relay_smtp_connections_active",
            "relay.smtp.connections.active", List.of(LISTENER), "SMTP connections open now");
    public static final Metric SMTP_SESSIONS = new Metric("relay_smtp_sessions_total",
            "relay.smtp.sessions", List.of(LISTENER), "SMTP sessions greeted with 220");
    public static final Metric MESSAGES_ACCEPTED = new Metric("relay_messages_accepted_total",
            "relay.messages.accepted", List.of(LISTENER), "Messages committed to the spool and acknowledged with 250");
    public static final Metric MESSAGES_REJECTED = new Metric("relay_messages_rejected_total",
            "relay.messages.rejected", List.of(REASON), "Messages or recipients refused by the listener");
    public static final Metric MESSAGE_SIZE = new Metric("relay_message_size_bytes",
            "relay.message.size", List.of(), "Size of accepted messages");
    public static final Metric QUEUE_MESSAGES = new Metric("relay_queue_messages",
            "relay.queue.messages", List.of(STATE), "Messages in the queue by state");
    public static final Metric QUEUE_OLDEST = new Metric("relay_queue_oldest_seconds",
            "relay.queue.oldest", List.of(), "Age of the oldest queued message (0 when the queue is empty)");
    public static final Metric QUEUE_CORRUPT_FILES = new Metric("relay_queue_corrupt_files_total",
            "relay.queue.corrupt.files", List.of(), "Spool files moved aside at recovery because they could not be read");
    public static final Metric SPOOL_SYNCS = new Metric("relay_spool_syncs_total",
            "relay.spool.syncs", List.of(), "fsyncs of the spool (one covers a group of writes)");
    public static final Metric SPOOL_WRITES = new Metric("relay_spool_writes_total",
            "relay.spool.writes", List.of(), "Spool writes (new messages, state changes, removals) made durable by the syncs");
    public static final Metric SPOOL_WRITE_FAILURES = new Metric("relay_spool_write_failures_total",
            "relay.spool.write.failures", List.of(REASON),
            "Times the spool could not write: no room for a segment or a write, or an I/O error (once per event, not per message)");
    public static final Metric SPOOL_WRITABLE = new Metric("relay_spool_writable",
            "relay.spool.writable", List.of(), "1 while the spool has room for new mail, 0 while it is full (new mail gets 452)");
    public static final Metric SPOOL_FREE = new Metric("relay_spool_free_bytes",
            "relay.spool.free", List.of(), "Free bytes on the spool's file system, as the relay may use them");
    public static final Metric DELIVERY_ATTEMPTS = new Metric("relay_delivery_attempts_total",
            "relay.delivery.attempts", List.of(RESULT, TLS, MTA_STS_MODE),
            "Delivery attempts, one per recipient per connection tried");
    public static final Metric DELIVERIES = new Metric("relay_deliveries_total",
            "relay.deliveries", List.of(OUTCOME), "Recipients that left the queue, by final outcome");
    public static final Metric DELIVERY_DELAY = new Metric("relay_delivery_delay_seconds",
            "relay.delivery.delay", List.of(), "Time from acceptance to a recipient's final outcome");
    public static final Metric MTASTS_POLICY_FETCHES = new Metric("relay_mtasts_policy_fetches_total",
            "relay.mtasts.policy.fetches", List.of(RESULT), "MTA-STS policy fetches by result");
    public static final Metric MTASTS_POLICIES_CACHED = new Metric("relay_mtasts_policies_cached",
            "relay.mtasts.policies.cached", List.of(MODE), "MTA-STS policies in the cache by mode");
    public static final Metric MTASTS_ENFORCEMENT_FAILURES = new Metric("relay_mtasts_enforcement_failures_total",
            "relay.mtasts.enforcement.failures", List.of(REASON),
            "MX hosts skipped, or domains deferred, to enforce an MTA-STS policy");
    public static final Metric MTASTS_TESTING_FAILURES = new Metric("relay_mtasts_testing_failures_total",
            "relay.mtasts.testing.failures", List.of(REASON),
            "Checks a testing-mode MTA-STS policy failed while the mail went anyway (enforce would have skipped the host)");
    public static final Metric MTASTS_REFRESH_FAILURES = new Metric("relay_mtasts_refresh_failures_total",
            "relay.mtasts.refresh.failures", List.of(),
            "Background refreshes of cached MTA-STS policies that failed (the cached policy stays in force)");
    public static final Metric MTASTS_STALE_POLICIES = new Metric("relay_mtasts_stale_policies_total",
            "relay.mtasts.stale.policies", List.of(),
            "Fetches that found a different MTA-STS policy under the id already cached (changed without a new TXT id)");
    public static final Metric MTASTS_POLICY_UNKNOWN = new Metric("relay_mtasts_policy_unknown_total",
            "relay.mtasts.policy.unknown", List.of(ACTION),
            "Attempts for a domain whose MTA-STS policy could not be found out (TXT lookup failing, nothing cached):"
                    + " deferred, or delivered without a policy once mta-sts.policy-unknown-wait was over");
    public static final Metric TLS_POLICY_OVERRIDES_ACTIVE = new Metric("relay_tls_policy_overrides_active",
            "relay.tls.policy.overrides.active", List.of(KIND),
            "Local TLS policy overrides in force: require (tls-policy.overrides in mode enforce) and suspend"
                    + " (run-time suspensions, and overrides in mode testing or none)");
    public static final Metric TLS_OUTBOUND = new Metric("relay_tls_outbound_total",
            "relay.tls.outbound", List.of(VERSION, VERIFIED), "Outbound TLS sessions established");
    public static final Metric TLS_CERTIFICATE_EXPIRY = new Metric("relay_tls_certificate_expiry_seconds",
            "relay.tls.certificate.expiry", List.of(),
            "When the relay's own TLS certificate (tls.certificate) expires, as Unix time; 0 without one");
    public static final Metric DANE_VERIFICATIONS = new Metric("relay_dane_verifications_total",
            "relay.dane.verifications", List.of(RESULT),
            "MX hosts governed by DANE checked: once per connection, or per skip; success, or the RFC 8460 result type"
                    + " of the failure (tlsa-invalid, dnssec-invalid, starttls-not-supported, ...)");
    public static final Metric DNS_LOOKUPS = new Metric("relay_dns_lookups_total",
            "relay.dns.lookups", List.of(TYPE, RESULT), "DNS questions asked, from the cache or the network");
    public static final Metric DNSSEC_VALIDATION_WORKING = new Metric("relay_dnssec_validation_working",
            "relay.dnssec.validation.working", List.of(),
            "1 when the start-up check found DNSSEC validation working through delivery.dns.servers, 0 when it found it"
                    + " broken (all mail waits); NaN with delivery.dns.dnssec: off and until the servers answered");
    public static final Metric DNSSEC_ANSWERS = new Metric("relay_dnssec_answers_total",
            "relay.dnssec.answers", List.of(STATUS),
            "DNSSEC-aware lookups (MX and TLSA for DANE) by the status of their answer, from the cache or the network");
    public static final Metric REQUIRETLS_MESSAGES = new Metric("relay_requiretls_messages_total",
            "relay.requiretls.messages", List.of(OUTCOME),
            "Messages with REQUIRETLS (RFC 8689): accepted by a listener, then each attempt at a destination domain"
                    + " by how it ended (delivered, deferred, refused with 5.7.30, failed otherwise)");
    public static final Metric TLS_REQUIRED_NO = new Metric("relay_tls_required_no_total",
            "relay.tls.required.no", List.of(OUTCOME),
            "Attempts at a destination domain of messages with the header TLS-Required: No (RFC 8689 section 4):"
                    + " honoured (the domain's TLS policy ignored), refused (delivery.honour-tls-required-no: false)"
                    + " or overridden (the message also has REQUIRETLS)");

    public static final Metric TLSRPT_SESSIONS = new Metric("relay_tlsrpt_sessions_total",
            "relay.tlsrpt.sessions", List.of(POLICY, RESULT),
            "TLS sessions counted for TLS reports (RFC 8460), by policy type and success or failure");
    public static final Metric TLSRPT_REPORTS = new Metric("relay_tlsrpt_reports_total",
            "relay.tlsrpt.reports", List.of(TRANSPORT, RESULT),
            "TLS reports that reached their end at a destination: sent (POSTed, or queued as mail) or failed (given up)");

    // label values registered at start

    /**
     * {@code relay_dane_verifications_total{result}}: {@code success}, then the result types a
     * host governed by DANE can fail with.
     */
    public static final List<String> DANE_RESULTS = Stream.concat(Stream.of("success"), Stream.of(
            Cause.TLSA_INVALID, Cause.DNSSEC_INVALID, Cause.STARTTLS_NOT_SUPPORTED, Cause.CERTIFICATE_HOST_MISMATCH,
            Cause.CERTIFICATE_EXPIRED, Cause.VALIDATION_FAILURE).map(Cause::label)).toList();

    /** {@code relay_tls_policy_overrides_active{kind}}. */
    public static final List<String> OVERRIDE_KINDS = List.of("require", "suspend");
    /** {@code relay_queue_messages{state}}. */
    public static final List<String> QUEUE_STATES = List.of("active", "deferred", "held");
    /** {@code relay_spool_write_failures_total{reason}}: {@code no_space}, {@code io_error}. */
    public static final List<String> WRITE_FAILURE_REASONS =
            Arrays.stream(WriteFailure.values()).map(WriteFailure::label).toList();
    /** {@code relay_tls_outbound_total{version}}: the versions the client offers. */
    public static final List<String> TLS_VERSIONS = List.of("TLSv1.2", "TLSv1.3");
    /** {@code relay_tls_outbound_total{verified}}. */
    public static final List<String> BOOLEANS = List.of("true", "false");
    /** {@code relay_mtasts_policy_fetches_total{result}}. */
    public static final List<String> FETCH_RESULTS = Stream.concat(Stream.of("ok"),
            Arrays.stream(FetchFailure.values()).map(FetchFailure::label)).toList();
    /** {@code relay_mtasts_policies_cached{mode}} and {@code relay_delivery_attempts_total{mta_sts_mode}}. */
    public static final List<String> POLICY_MODES = Arrays.stream(PolicyMode.values()).map(PolicyMode::label).toList();
    /**
     * {@code relay_mtasts_enforcement_failures_total{reason}}: the RFC 8460 result types of
     * {@link TlsProblem}, then {@code mx-mismatch} (the host is not in the policy)
     * and {@code sts-policy-unavailable} (ours).
     */
    public static final List<String> ENFORCEMENT_REASONS = Stream.concat(
            Arrays.stream(TlsProblem.values()).map(TlsProblem::resultType),
            Stream.of(Cause.MX_MISMATCH, Cause.STS_POLICY_UNAVAILABLE).map(Cause::label)).toList();

    private static final List<Metric> ALL = List.of(READY, SMTP_CONNECTIONS_ACTIVE, SMTP_SESSIONS, MESSAGES_ACCEPTED,
            MESSAGES_REJECTED, MESSAGE_SIZE, QUEUE_MESSAGES, QUEUE_OLDEST, QUEUE_CORRUPT_FILES, SPOOL_SYNCS,
            SPOOL_WRITES, SPOOL_WRITE_FAILURES, SPOOL_WRITABLE, SPOOL_FREE, DELIVERY_ATTEMPTS, DELIVERIES, DELIVERY_DELAY, MTASTS_POLICY_FETCHES,
            MTASTS_POLICIES_CACHED, MTASTS_ENFORCEMENT_FAILURES, MTASTS_TESTING_FAILURES, MTASTS_REFRESH_FAILURES,
            MTASTS_POLICY_UNKNOWN, MTASTS_STALE_POLICIES, TLS_POLICY_OVERRIDES_ACTIVE,
            TLS_OUTBOUND, TLS_CERTIFICATE_EXPIRY, DANE_VERIFICATIONS, DNS_LOOKUPS, DNSSEC_ANSWERS, DNSSEC_VALIDATION_WORKING,
            REQUIRETLS_MESSAGES,
            TLS_REQUIRED_NO, TLSRPT_SESSIONS, TLSRPT_REPORTS);

    private MetricNames() {}

    /** Every metric the relay defines (not the JVM and process ones). */
    public static List<Metric> metrics() {
        return ALL;
    }

    /** Their Prometheus names, for dashboards and checks that compare. */
    public static List<String> all() {
        return ALL.stream().map(Metric::prometheusName).toList();
    }
}
