package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.relay.it.HostTool;
import dev.relay.metrics.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker/prometheus/alerts.yml: well formed, built only on metrics the relay exposes (its
 * catalogue, {@link MetricNames}) with their labels, covering what an on-call expects, each
 * alert unit-tested in alerts.test.yml both firing and quiet, checked and run by promtool, loaded
 * by the compose Prometheus, and listed in the README.
 */
class PrometheusAlertsTest {

    static final Path ALERTS = Repository.root().resolve("docker/prometheus/alerts.yml");
    static final Path UNIT_TESTS = Repository.root().resolve("docker/prometheus/alerts.test.yml");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** Series that are not the relay's: Prometheus' own per target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Labels every series of the relay job has, from Prometheus. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    record Rule(String alert, String expression, JsonNode node, PromQl parsed) {}

    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : read(ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String expr = rule.path("expr").asText();
                rules.add(new Rule(rule.path("alert").asText(), expr, rule, PromQl.parse(expr)));
            }
        }
        return rules;
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyRuleIsANamedAlertWithSeverityAndWords() {
        List<Rule> rules = rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        Set<String> names = new HashSet<>();
        for (Rule rule : rules) {
            assertThat(rule.alert()).as("a rule without alert: (recording rules belong elsewhere)").matches("Relay[A-Za-z]+");
            assertThat(names.add(rule.alert())).as("%s is unique", rule.alert()).isTrue();
            assertThat(rule.expression()).isNotBlank();
            assertThat(rule.node().path("labels").path("severity").asText()).as(rule.alert()).isIn("warning", "critical");
            assertThat(rule.node().path("annotations").path("summary").asText()).as(rule.alert()).contains("{{ $labels.instance }}");
            assertThat(rule.node().path("annotations").path("description").asText()).as(rule.alert()).isNotBlank();
        }
    }

    @Test
    void everyMetricAnAlertUsesIsInTheRelaysCatalogueWithItsLabels() {
        Map<String, MetricNames.Metric> catalogue = new java.util.HashMap<>();
        MetricNames.metrics().forEach(m -> catalogue.put(m.prometheusName(), m));
        for (Rule rule : rules()) {
            assertThat(rule.parsed().metrics()).as(rule.alert()).isNotEmpty();
            Set<String> allowedLabels = new LinkedHashSet<>(TARGET_LABELS);
            for (String metric : rule.parsed().metrics()) {
                if (PROMETHEUS_SERIES.contains(metric)) {
                    continue;
                }
                String family = family(metric, catalogue.keySet());
                assertThat(catalogue).as("%s (in %s) is in MetricNames", metric, rule.alert()).containsKey(family);
                allowedLabels.addAll(catalogue.get(family).labels());
            }
            assertThat(rule.parsed().labels()).as("labels of %s", rule.alert()).isSubsetOf(allowedLabels);
        }
    }

    private static String family(String sample, Set<String> names) {
        for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
            if (sample.endsWith(suffix) && names.contains(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return sample;
    }

    @Test
    void coversWhatAMailOnCallExpects() {
        Set<String> used = new HashSet<>();
        rules().forEach(rule -> used.addAll(rule.parsed().metrics()));
        assertThat(used).contains(
                "up", "relay_ready",                                            // down, not ready
                "relay_queue_messages", "relay_queue_oldest_seconds",           // queue growing, old mail
                "relay_delivery_attempts_total", "relay_deliveries_total",      // failures, bounces
                "relay_mtasts_enforcement_failures_total",                      // MTA-STS held mail back
                "relay_spool_free_bytes", "relay_messages_rejected_total",      // disk, refusing mail
                "relay_tls_certificate_expiry_seconds");                        // own certificate
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() {
        JsonNode tests = read(UNIT_TESTS);
        assertThat(tests.path("rule_files").path(0).asText()).isEqualTo(ALERTS.getFileName().toString());
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : fires).add(alert);
            }
        }
        List<String> alerts = rules().stream().map(Rule::alert).toList();
        assertThat(fires).as("alerts tested firing").containsAll(alerts);
        assertThat(quiet).as("alerts tested quiet").containsAll(alerts);
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        HostTool.Result result = promtool("check", "rules", ALERTS.getFileName().toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + rules().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        HostTool.Result result = promtool("test", "rules", UNIT_TESTS.getFileName().toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void theComposePrometheusLoadsTheAlerts() {
        ComposeFile compose = ComposeFile.read(Map.of("RELAY_HOSTNAME", "h", "RELAY_ADMIN_TOKEN", "t",
                "GRAFANA_ADMIN_PASSWORD", "p"));
        JsonNode prometheusYml = read(Repository.root().resolve("docker/prometheus/prometheus.yml"));
        List<String> ruleFiles = new ArrayList<>();
        prometheusYml.path("rule_files").forEach(node -> ruleFiles.add(node.asText()));
        assertThat(ruleFiles).containsExactly("alerts.yml");
        // rule_files are relative to the config file's directory in the container
        String configInContainer = "/etc/prometheus/prometheus.yml";
        assertThat(compose.mountAt("prometheus", configInContainer)).isPresent();
        String alertsInContainer = Path.of(configInContainer).resolveSibling(ruleFiles.getFirst()).toString();
        Optional<ComposeFile.Mount> mount = compose.mountAt("prometheus", alertsInContainer);
        assertThat(mount).as("a mount at %s", alertsInContainer).isPresent();
        assertThat(ComposeFile.directory().resolve(mount.get().source()).normalize()).isEqualTo(ALERTS);
        assertThat(mount.get().readOnly()).isTrue();
    }

    @Test
    void theReadmeListsEveryAlert() throws IOException {
        String readme = Files.readString(Repository.file("README.md"));
        assertThat(readme).contains("docker/prometheus/alerts.yml");
        assertThat(rules()).allSatisfy(rule -> assertThat(readme).contains("`" + rule.alert() + "`"));
    }

    /** Runs promtool in docker/prometheus; the test is skipped, saying why, when there is none. */
    private static HostTool.Result promtool(String... arguments) throws Exception {
        return HostTool.run("promtool", ".ci/run installs Debian's prometheus package, which has it", ALERTS.getParent(),
                Duration.ofSeconds(120), arguments);
    }
}
