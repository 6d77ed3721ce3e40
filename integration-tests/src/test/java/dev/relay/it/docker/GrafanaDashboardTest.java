package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.metrics.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker/grafana/dashboards/relay.json on its own: it parses, every panel has queries, and
 * the queries cover what the deployment promises to show. {@link RunningRelayTest} checks each
 * queried name against what a running relay exposes.
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Repository.root().resolve("docker/grafana/dashboards/relay.json");

    /** A panel's query. */
    record Query(String panel, String expression, PromQl parsed) {}

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                queries.add(new Query(panel.path("title").asText(), expr, PromQl.parse(expr)));
            }
        }
        return queries;
    }

    @Test
    void parsesAndEveryGraphPanelHasQueries() {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        int graphs = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            graphs++;
            assertThat(panel.path("targets")).as("queries of '%s'", panel.path("title").asText()).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).isNotBlank();
                assertThat(refIds.add(target.path("refId").asText())).isTrue();
            }
        }
        assertThat(graphs).isGreaterThanOrEqualTo(10);
    }

    @Test
    void showsWhatTheDeploymentPromises() {
        // panel subject -> a metric it must query and the labels it must break it down by
        Map<String, Set<String>> wanted = Map.of(
                "relay_queue_messages", Set.of("state"),
                "relay_queue_oldest_seconds", Set.of(),
                "relay_messages_accepted_total", Set.of(),
                "relay_deliveries_total", Set.of("outcome"),
                "relay_delivery_attempts_total", Set.of("result", "tls", "mta_sts_mode"),
                "relay_mtasts_enforcement_failures_total", Set.of("reason"),
                "relay_mtasts_policy_fetches_total", Set.of("result"),
                "relay_tls_outbound_total", Set.of("version"),
                "relay_dns_lookups_total", Set.of(),
                "relay_delivery_delay_seconds_bucket", Set.of("le"));
        wanted = new java.util.HashMap<>(wanted);
        wanted.put("relay_dane_verifications_total", Set.of("result"));
        wanted.put("relay_requiretls_messages_total", Set.of("outcome"));
        wanted.put("relay_tls_required_no_total", Set.of("outcome"));
        List<Query> queries = queries();
        wanted.forEach((metric, labels) -> assertThat(queries).as("a query of %s by %s", metric, labels)
                .anySatisfy(q -> {
                    assertThat(q.parsed().metrics()).contains(metric);
                    assertThat(q.parsed().labels()).containsAll(labels);
                }));
        assertThat(queries).as("delay quantiles").anySatisfy(q -> assertThat(q.expression())
                .startsWith("histogram_quantile(").contains("relay_delivery_delay_seconds_bucket"));
    }

    @Test
    void everyRelayMetricQueriedIsInTheRelaysCatalogue() {
        List<String> catalogue = MetricNames.all();
        Set<String> queried = new HashSet<>();
        queries().forEach(q -> queried.addAll(q.parsed().metrics()));
        assertThat(queried).filteredOn(name -> name.startsWith("relay_")).isNotEmpty()
                .allSatisfy(name -> assertThat(catalogue).as("%s in MetricNames", name).contains(family(name)));
    }

    /** A histogram's or summary's sample name without the suffix Prometheus adds to the family name. */
    private static String family(String sample) {
        for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
            if (sample.endsWith(suffix) && MetricNames.all().contains(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return sample;
    }

    @Test
    void everyQueryFollowsTheInstanceSelector() {
        // several replicas: the dashboard's instance variable narrows every panel
        JsonNode variables = dashboard().path("templating").path("list");
        assertThat(variables.findValuesAsText("name")).contains("instance");
        assertThat(queries()).allSatisfy(q -> assertThat(q.expression()).contains("instance=~\"$instance\""));
    }

    @Test
    void promQlLexerTellsMetricsFromFunctionsAndLabels() {
        PromQl q = PromQl.parse("histogram_quantile(0.9, sum by (le) (rate(relay_x_bucket{a=\"b{c}\", d=~\"$v\"}[$__rate_interval])))");
        assertThat(q.metrics()).containsExactly("relay_x_bucket");
        assertThat(q.labels()).containsExactlyInAnyOrder("le", "a", "d");

        PromQl binary = PromQl.parse("sum(rate(a_sum[5m])) / sum without (x) (rate(a_count[5m] offset 1h)) > bool 0 and on (job) up");
        assertThat(binary.metrics()).containsExactlyInAnyOrder("a_sum", "a_count", "up");
        assertThat(binary.labels()).containsExactlyInAnyOrder("x", "job");

        assertThat(PromQl.parse("{__name__=\"by_name\", l=\"v\"}").metrics()).containsExactly("by_name");
        assertThat(PromQl.parse("max(relay_queue_oldest_seconds)").metrics()).containsExactly("relay_queue_oldest_seconds");
    }
}
