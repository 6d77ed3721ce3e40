package dev.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.admin.AdminServer;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.settings.HostPort;
import dev.relay.delivery.DeliveryEvents;
import dev.relay.dns.LookupType;
import dev.relay.dns.ResultKind;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.smtp.server.RejectReason;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} over HTTP: every contract name, every known label value at 0, both text formats. */
class ScrapeTest {
    private static final String LISTENER = "127.0.0.1:2525";

    private RelayMetrics metrics;
    private AdminServer admin;
    private AdminHttp http;

    @BeforeEach
    void start() throws Exception {
        metrics = RelayMetrics.prometheus(List.of(LISTENER), Clock.systemUTC());
        admin = AdminServer.builder(new HostPort("127.0.0.1", 0))
                .route("GET", "/metrics", false, metrics.scrapeRoute().orElseThrow())
                .start();
        http = new AdminHttp(admin.address());
    }

    @AfterEach
    void stop() {
        admin.close();
        metrics.close();
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = http.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }

    @Test
    void theTextFormatIsTheDefault() throws Exception {
        HttpResponse<String> response = http.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE relay_smtp_sessions_total counter");
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = http.get("/metrics",
                "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.body()).contains("# TYPE relay_smtp_sessions counter")
                .contains("relay_smtp_sessions_total{listener=\"127.0.0.1:2525\"} 0")
                .endsWith("# EOF\n");
    }

    @Test
    void everyContractNameIsScraped() throws Exception {
        Scrape scrape = scrape();
        assertThat(MetricNames.all()).contains("relay_smtp_connections_active", "relay_smtp_sessions_total",
                "relay_messages_accepted_total", "relay_messages_rejected_total", "relay_message_size_bytes",
                "relay_queue_messages", "relay_queue_oldest_seconds", "relay_delivery_attempts_total",
                "relay_deliveries_total", "relay_delivery_delay_seconds", "relay_mtasts_policy_fetches_total",
                "relay_mtasts_policies_cached", "relay_mtasts_enforcement_failures_total", "relay_tls_outbound_total",
                "relay_dns_lookups_total");
        assertThat(MetricNames.all()).allSatisfy(name -> assertThat(scrape.has(name)).as(name).isTrue());
        for (MetricNames.Metric metric : MetricNames.metrics()) {
            String sample = scrape.has(metric.prometheusName()) && scrape.all(metric.prometheusName()).isEmpty()
                    ? metric.prometheusName() + "_count"
                    : metric.prometheusName();
            assertThat(scrape.all(sample)).as(sample).allSatisfy(s -> assertThat(s.labels().keySet())
                    .as("labels of %s", sample).containsExactlyInAnyOrderElementsOf(metric.labels()));
        }
    }

    @Test
    void theHistogramsHaveBucketsFromSecondsToDaysAndFromKilobytesToTheSizeLimit() throws Exception {
        Scrape scrape = scrape();
        assertThat(scrape.all("relay_delivery_delay_seconds_bucket")).extracting(s -> s.labels().get("le"))
                .contains("1.0", "60.0", "3600.0", "86400.0", "432000.0", "+Inf");
        assertThat(scrape.all("relay_message_size_bytes_bucket")).extracting(s -> s.labels().get("le"))
                .contains("1024.0", "1048576.0", "5.24288E7", "+Inf");
    }

    @Test
    void knownLabelValuesAreThereAtZeroBeforeAnythingHappens() throws Exception {
        Scrape scrape = scrape();
        assertThat(scrape.value("relay_smtp_connections_active", "listener", LISTENER)).contains(0.0);
        assertThat(scrape.value("relay_smtp_sessions_total", "listener", LISTENER)).contains(0.0);
        assertThat(scrape.value("relay_messages_accepted_total", "listener", LISTENER)).contains(0.0);
        assertThat(scrape.value("relay_message_size_bytes_count")).contains(0.0);
        for (RejectReason reason : RejectReason.values()) {
            assertThat(scrape.value("relay_messages_rejected_total", "reason", reason.label())).as(reason.label()).contains(0.0);
        }
        for (String state : List.of("active", "deferred", "held")) {
            assertThat(scrape.value("relay_queue_messages", "state", state)).as(state).contains(0.0);
        }
        assertThat(scrape.value("relay_queue_oldest_seconds")).contains(0.0);
        for (String mode : List.of("enforce", "testing", "none")) {
            for (DeliveryEvents.Result result : DeliveryEvents.Result.values()) {
                for (DeliveryEvents.Tls tls : DeliveryEvents.Tls.values()) {
                    assertThat(scrape.value("relay_delivery_attempts_total", "result", result.label(), "tls", tls.label(),
                            "mta_sts_mode", mode)).as("%s %s %s", result, tls, mode).contains(0.0);
                }
            }
            assertThat(scrape.value("relay_mtasts_policies_cached", "mode", mode)).as(mode).contains(0.0);
        }
        assertThat(scrape.all("relay_delivery_attempts_total")).hasSize(27);
        for (String outcome : List.of("delivered", "bounced", "expired")) {
            assertThat(scrape.value("relay_deliveries_total", "outcome", outcome)).as(outcome).contains(0.0);
        }
        assertThat(scrape.value("relay_delivery_delay_seconds_count")).contains(0.0);
        for (String version : List.of("TLSv1.2", "TLSv1.3")) {
            for (String verified : List.of("true", "false")) {
                assertThat(scrape.value("relay_tls_outbound_total", "version", version, "verified", verified)).contains(0.0);
            }
        }
        for (String result : List.of("ok", "dns_error", "connect_error", "tls_error", "timeout", "http_status", "redirect",
                "too_large", "wrong_media_type", "invalid_policy")) {
            assertThat(scrape.value("relay_mtasts_policy_fetches_total", "result", result)).as(result).contains(0.0);
        }
        for (String reason : List.of("starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
                "certificate-not-trusted", "validation-failure", "mx-mismatch", "sts-policy-unavailable")) {
            assertThat(scrape.value("relay_mtasts_enforcement_failures_total", "reason", reason)).as(reason).contains(0.0);
        }
        for (LookupType type : LookupType.values()) {
            for (ResultKind result : ResultKind.values()) {
                assertThat(scrape.value("relay_dns_lookups_total", "type", type.label(), "result", result.label()))
                        .as("%s %s", type, result).contains(0.0);
            }
        }
        for (String status : List.of("secure", "insecure", "bogus", "error")) {
            assertThat(scrape.value("relay_dnssec_answers_total", "status", status)).as(status).contains(0.0);
        }
        assertThat(scrape.value("relay_queue_corrupt_files_total")).contains(0.0);
    }

    @Test
    void jvmAndProcessMetricsAreThere() throws Exception {
        Scrape scrape = scrape();
        assertThat(List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "jvm_gc_memory_allocated_bytes_total", "jvm_info", "process_uptime_seconds", "process_cpu_usage",
                "system_cpu_count", "process_files_open_files"))
                .allSatisfy(name -> assertThat(scrape.has(name)).as(name).isTrue());
        assertThat(scrape.all("process_uptime_seconds").getFirst().value()).isPositive();
    }

    @Test
    void whatHappensShowsInTheNextScrape() throws Exception {
        metrics.smtpEvents(dev.relay.smtp.server.SmtpEvents.NONE).sessionStarted(LISTENER);
        metrics.mtaStsEvents().policyFetched("ok");
        assertThat(scrape().value("relay_smtp_sessions_total", "listener", LISTENER)).contains(1.0);
        assertThat(scrape().value("relay_mtasts_policy_fetches_total", "result", "ok")).contains(1.0);
    }
}
