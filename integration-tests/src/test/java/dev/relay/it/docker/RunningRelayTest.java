package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.it.MinimalRelay;
import dev.relay.it.RelayProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built relay.jar, running on loopback, answers what the image and the deployment ask of
 * it: the HEALTHCHECK's path, Prometheus' scrape path with the token, and every metric and
 * label the Grafana dashboard queries (all series with known labels are registered at start).
 */
class RunningRelayTest {

    /** The scrape path in docker/prometheus/prometheus.yml. */
    static final String METRICS_PATH = "/metrics";
    private static final String TOKEN = "running-relay-test-token";
    /** Added by Prometheus to every scraped series, so never exposed by the relay itself. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @TempDir
    static Path work;

    private static RelayProcess relay;
    private static InetSocketAddress adminAddress;
    private static AdminHttp admin;

    @BeforeAll
    static void startRelay() throws Exception {
        MinimalRelay minimal = MinimalRelay.in(work, Optional.of(TOKEN));
        relay = minimal.start(Map.of());
        adminAddress = new InetSocketAddress("127.0.0.1", minimal.adminPort());
        admin = new AdminHttp(adminAddress);
        awaitAdminServer();
    }

    /**
     * The relay opens the admin port after the SMTP listeners, which is what start() waits for:
     * wait until the health check would pass, as Docker does.
     */
    private static void awaitAdminServer() {
        await("the admin server ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .untilAsserted(() -> {
                    HttpResponse<String> response = admin.get(healthcheckPath());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                });
    }

    @AfterAll
    static void stopRelay() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void theImagesHealthcheckPathAnswersReadyWithoutAToken() throws Exception {
        HttpResponse<String> response = admin.get(healthcheckPath());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String healthcheckPath() {
        return DockerfileTest.healthcheckUrl(DockerfileTest.IMAGE.last("HEALTHCHECK").orElseThrow()).getPath();
    }

    @Test
    void theScrapePathAnswersOnlyWithTheToken() throws Exception {
        assertThat(admin.get(METRICS_PATH).statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = new AdminHttp(adminAddress).token(TOKEN).get(METRICS_PATH);
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void everyMetricAndLabelTheDashboardQueriesIsExposed() throws Exception {
        HttpResponse<String> scrape = new AdminHttp(adminAddress).token(TOKEN)
                .get(METRICS_PATH, "Accept", "text/plain; version=0.0.4");
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        Map<String, Set<String>> exposed = PrometheusText.parse(scrape.body()).labelNamesBySample();
        for (GrafanaDashboardTest.Query query : GrafanaDashboardTest.queries()) {
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            for (String metric : query.parsed().metrics()) {
                assertThat(exposed).as("panel '%s' queries %s; the relay exposes %s", query.panel(), metric, exposed.keySet())
                        .containsKey(metric);
                labels.addAll(exposed.get(metric));
            }
            assertThat(labels).as("labels of panel '%s': %s", query.panel(), query.expression())
                    .containsAll(query.parsed().labels());
        }
    }
}
