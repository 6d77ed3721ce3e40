package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.relay.config.RelayConfig;
import dev.relay.it.docker.ComposeFile.Mount;
import dev.relay.it.docker.ComposeFile.Port;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/compose.yaml, the Prometheus scrape config and the Grafana provisioning, checked
 * against each other, the Dockerfile and the container config.
 */
class ComposeFileTest {

    /** What an operator puts in docker/.env (the required variables). */
    private static final Map<String, String> DOT_ENV = Map.of(
            "RELAY_HOSTNAME", "relay.example.net",
            "RELAY_ADMIN_TOKEN", "compose-test-token",
            "GRAFANA_ADMIN_PASSWORD", "compose-test-password");

    private static final ComposeFile COMPOSE = ComposeFile.read(DOT_ENV);
    private static final Path DIR = ComposeFile.directory();

    @TempDir
    Path work;

    @Test
    void servicesAreTheRelayPrometheusAndGrafana() {
        assertThat(COMPOSE.serviceNames()).containsExactlyInAnyOrder("relay", "prometheus", "grafana");
    }

    @Test
    void relayIsBuiltFromTheRepositoryWithTheDockerfile() {
        JsonNode build = COMPOSE.service("relay").path("build");
        Path context = DIR.resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(Repository.root());
        assertThat(context.resolve(".dockerignore")).as("the context's .dockerignore applies").isRegularFile();
        assertThat(context.resolve(build.path("dockerfile").asText())).isEqualTo(Repository.root().resolve("docker/Dockerfile"));
    }

    @Test
    void relayPublishesExactlyTheExposedPortsAndKeepsAdminOnTheHostsLoopback() {
        List<Port> ports = COMPOSE.ports("relay");
        Set<Integer> published = ports.stream().map(Port::container).collect(Collectors.toCollection(TreeSet::new));
        assertThat(published).isEqualTo(DockerfileTest.exposedPorts());
        RelayConfig config = ContainerConfig.load(work, Map.of());
        assertThat(ports).filteredOn(p -> p.container() == config.admin().address().port())
                .singleElement().satisfies(p -> assertThat(p.host()).startsWith("127.0.0.1:"));
    }

    @Test
    void relayMountsItsVolumeCertificateAndUsersWhereTheContainerConfigLooks() {
        List<String> volumes = DockerfileTest.volumes();
        Mount spool = COMPOSE.mountAt("relay", volumes.get(0))
                .orElseThrow(() -> new AssertionError("nothing mounted at the image's VOLUME " + volumes.get(0)));
        assertThat(spool.isNamedVolume()).as("a named volume, declared at the top").isTrue();

        String certificate = ContainerConfig.path("tls.certificate");
        String key = ContainerConfig.path("tls.key");
        String tlsDirectory = Path.of(certificate).getParent().toString();
        assertThat(Path.of(key).getParent()).hasToString(tlsDirectory);
        assertThat(COMPOSE.mountAt("relay", tlsDirectory)).as("a mount at " + tlsDirectory)
                .hasValueSatisfying(m -> assertThat(m.readOnly()).isTrue());
        assertThat(COMPOSE.mountAt("relay", ContainerConfig.path("users-file"))).as("the users file mount")
                .hasValueSatisfying(m -> assertThat(m.readOnly()).isTrue());
    }

    @Test
    void everyNamedVolumeIsDeclaredAndUsed() {
        Set<String> declared = new HashSet<>();
        COMPOSE.root().path("volumes").fieldNames().forEachRemaining(declared::add);
        Set<String> used = new HashSet<>();
        for (String service : COMPOSE.serviceNames()) {
            COMPOSE.mounts(service).stream().filter(Mount::isNamedVolume).map(Mount::source).forEach(used::add);
            COMPOSE.mounts(service).stream().filter(m -> !m.isNamedVolume() && !m.source().startsWith("/"))
                    .forEach(m -> {
                        if (!m.target().startsWith("/etc/relay/")) { // the operator's files, not in the repository
                            assertThat(DIR.resolve(m.source())).as("%s mounts %s", service, m.source()).exists();
                        }
                    });
        }
        assertThat(used).isEqualTo(declared).contains("relay-spool", "grafana-data");
    }

    @Test
    void relayEnvironmentIsValidConfigurationAndNeedsTheTokenAndHostname() {
        Map<String, String> env = COMPOSE.environment("relay");
        assertThat(env).allSatisfy((name, value) -> assertThat(name).startsWith("RELAY_"));
        // an unknown RELAY_ name, or a bad value, stops the relay: loading proves they are keys
        RelayConfig config = ContainerConfig.load(work, env);
        assertThat(config.hostname()).isEqualTo("relay.example.net");
        assertThat(config.admin().token()).contains("compose-test-token");
        assertThat(COMPOSE.isRequired("relay", "RELAY_ADMIN_TOKEN")).isTrue();
        assertThat(COMPOSE.isRequired("relay", "RELAY_HOSTNAME")).isTrue();
        assertThatThrownBy(() -> ComposeFile.read(Map.of("RELAY_HOSTNAME", "h")).environment("relay"))
                .hasMessageContaining("RELAY_ADMIN_TOKEN");
    }

    @Test
    void stopGracePeriodOutlastsTheRelaysShutdownGrace() {
        RelayConfig config = ContainerConfig.load(work, COMPOSE.environment("relay"));
        Duration stop = goDuration(COMPOSE.service("relay").path("stop_grace_period").asText());
        assertThat(stop).isGreaterThan(config.shutdownGrace());
    }

    @Test
    void prometheusScrapesTheRelaysAdminPortWithTheAdminToken() throws IOException {
        JsonNode prometheus = COMPOSE.service("prometheus");
        String configFlag = "--config.file=";
        String configPath = textList(prometheus.path("command")).stream().filter(a -> a.startsWith(configFlag))
                .map(a -> a.substring(configFlag.length())).findFirst().orElseThrow();
        Mount configMount = COMPOSE.mountAt("prometheus", configPath).orElseThrow();
        Path scrapeFile = DIR.resolve(configMount.source()).normalize();
        assertThat(scrapeFile).isEqualTo(Repository.root().resolve("docker/prometheus/prometheus.yml"));

        JsonNode scrape = YAMLMapper.builder().build().readTree(scrapeFile.toFile());
        List<JsonNode> jobs = new ArrayList<>();
        scrape.path("scrape_configs").forEach(jobs::add);
        assertThat(jobs).hasSize(1);
        JsonNode job = jobs.get(0);
        List<String> targets = textList(job.path("static_configs").path(0).path("targets"));
        RelayConfig config = ContainerConfig.load(work, COMPOSE.environment("relay"));
        assertThat(targets).containsExactly("relay:" + config.admin().address().port());
        assertThat(COMPOSE.serviceNames()).contains(targets.get(0).split(":")[0]);
        assertThat(job.path("metrics_path").asText()).isEqualTo(RunningRelayTest.METRICS_PATH);

        JsonNode authorization = job.path("authorization");
        assertThat(authorization.path("type").asText()).isEqualTo("Bearer");
        String credentials = authorization.path("credentials_file").asText();
        assertThat(credentials).startsWith("/run/secrets/");
        String secret = credentials.substring("/run/secrets/".length());
        assertThat(textList(prometheus.path("secrets"))).contains(secret);
        assertThat(COMPOSE.root().path("secrets").path(secret).path("environment").asText())
                .as("the secret holds the same variable the relay's token comes from")
                .isEqualTo(COMPOSE.sourceVariable("relay", "RELAY_ADMIN_TOKEN").orElseThrow());
    }

    @Test
    void grafanaProvisionsThePrometheusDataSourceAndTheDashboardItUses() throws IOException {
        Mount provisioning = COMPOSE.mountAt("grafana", "/etc/grafana/provisioning").orElseThrow();
        Path provisioningDir = DIR.resolve(provisioning.source()).normalize();
        YAMLMapper yaml = YAMLMapper.builder().build();

        JsonNode datasource = yaml.readTree(provisioningDir.resolve("datasources/prometheus.yaml").toFile())
                .path("datasources").path(0);
        URI url = URI.create(datasource.path("url").asText());
        assertThat(COMPOSE.serviceNames()).contains(url.getHost());
        assertThat(url.getHost()).isEqualTo("prometheus");
        assertThat(COMPOSE.ports("prometheus")).extracting(Port::container).contains(url.getPort());

        JsonNode provider = yaml.readTree(provisioningDir.resolve("dashboards/relay.yaml").toFile()).path("providers").path(0);
        String dashboardsPath = provider.path("options").path("path").asText();
        Mount dashboards = COMPOSE.mountAt("grafana", dashboardsPath)
                .orElseThrow(() -> new AssertionError("the provider reads " + dashboardsPath + ", which compose does not mount"));
        Path dashboardFile = DIR.resolve(dashboards.source()).resolve("relay.json").normalize();
        assertThat(dashboardFile).isEqualTo(GrafanaDashboardTest.DASHBOARD);

        JsonNode dashboard = new ObjectMapper().readTree(dashboardFile.toFile());
        List<String> uids = dashboard.findValues("datasource").stream().map(d -> d.path("uid").asText()).distinct().toList();
        assertThat(uids).containsExactly(datasource.path("uid").asText());

        String home = COMPOSE.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).startsWith(dashboardsPath + "/");
        assertThat(DIR.resolve(dashboards.source()).resolve(home.substring(dashboardsPath.length() + 1))).isRegularFile();
    }

    @Test
    void exampleEnvFileNamesEveryRequiredVariable() throws IOException {
        String example = Files.readString(DIR.resolve(".env.example"));
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(Files.readString(Repository.file(ComposeFile.SOURCE)));
        int count = 0;
        while (required.find()) {
            assertThat(example).as(".env.example mentions " + required.group(1)).containsPattern("(?m)^" + required.group(1) + "=");
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(3);
    }

    private static List<String> textList(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /** Compose durations are Go's: 1m30s, 40s, 500ms. */
    private static Duration goDuration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        assertThat(end).as("a Go duration: " + text).isEqualTo(text.length()).isPositive();
        return total;
    }
}
