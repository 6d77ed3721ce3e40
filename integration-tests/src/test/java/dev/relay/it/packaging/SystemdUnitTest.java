package dev.relay.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import dev.relay.it.HostTool;
import dev.relay.it.docker.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packaging/systemd/relay.service: what it sets agrees with the relay (stop timeout, exit codes,
 * RELAY_* variables, directories), it carries the usual hardening, and systemd itself accepts
 * it ({@code systemd-analyze verify}, no unknown keys) and rates its exposure low
 * ({@code systemd-analyze security --offline}); those two are skipped without systemd-analyze.
 */
class SystemdUnitTest {

    private static final Path UNIT = Repository.root().resolve("packaging/systemd/relay.service");

    @TempDir
    Path dir;

    /** Every Key=value of the unit (repeated keys joined by a newline), comments skipped. */
    private static Map<String, String> settings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
                continue;
            }
            String[] kv = l.split("=", 2);
            settings.merge(kv[0], kv[1], (a, b) -> a + "\n" + b);
        }
        return settings;
    }

    private static Map<String, String> relayEnvironment(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String assignment : settings.getOrDefault("Environment", "").split("\n")) {
            String[] kv = assignment.split("=", 2);
            env.put(kv[0], kv[1]);
        }
        return env;
    }

    @Test
    void itAgreesWithTheRelay() throws IOException {
        Map<String, String> unit = settings();
        RelayConfig defaults = new ConfigLoader(relayEnvironment(unit), () -> "host.test").loadDefault().config();

        assertThat(unit.get("ExecStart")).contains("-jar /opt/relay/relay.jar run --config /etc/relay/relay.yaml");
        assertThat(unit.get("KillSignal")).isEqualTo("SIGTERM");
        assertThat(unit.get("ExecReload")).as("SIGHUP reloads the configuration").isEqualTo("/bin/kill -HUP $MAINPID");
        Duration stopTimeout = Duration.ofSeconds(Long.parseLong(unit.get("TimeoutStopSec").replace("s", "")));
        assertThat(stopTimeout).isGreaterThan(defaults.shutdownGrace());
        assertThat(unit.get("RestartPreventExitStatus")).as("2 is the relay's exit code for a configuration error").isEqualTo("2");
        // the RELAY_ variables are real keys (the loader refuses unknown ones) and point into StateDirectory
        Path state = Path.of("/var/lib", unit.get("StateDirectory"));
        assertThat(defaults.spool().directory()).isEqualTo(state.resolve("spool"));
        assertThat(defaults.mtaSts().cacheDirectory()).isEqualTo(state.resolve("mta-sts"));
        assertThat(unit.get("WorkingDirectory")).isEqualTo(state.toString());
    }

    @Test
    void itCarriesTheUsualHardening() throws IOException {
        Map<String, String> unit = settings();
        assertThat(unit).containsEntry("User", "relay").containsEntry("NoNewPrivileges", "yes")
                .containsEntry("ProtectSystem", "strict").containsEntry("ProtectHome", "yes")
                .containsEntry("PrivateTmp", "yes").containsEntry("PrivateDevices", "yes")
                .containsEntry("CapabilityBoundingSet", "CAP_NET_BIND_SERVICE")
                .containsEntry("AmbientCapabilities", "CAP_NET_BIND_SERVICE")
                .containsEntry("SystemCallFilter", "@system-service")
                .containsKeys("RestrictAddressFamilies", "RestrictNamespaces", "ProtectKernelTunables", "LockPersonality");
        assertThat(unit).as("the JIT writes and runs code").doesNotContainKey("MemoryDenyWriteExecute");
    }

    @Test
    void systemdAcceptsItWithoutWarnings() throws Exception {
        Path copy = runnableCopy();
        HostTool.Result verify = systemdAnalyze("verify", copy.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).as("no unknown keys or other complaints").isBlank();
    }

    @Test
    void systemdRatesItsExposureLow() throws Exception {
        HostTool.Result security = systemdAnalyze("security", "--offline=yes", runnableCopy().toString());
        Matcher level = Pattern.compile("Overall exposure level for relay\\.service: (\\d+\\.\\d+)").matcher(security.output());
        assertThat(level.find()).as(security.output()).isTrue();
        assertThat(Double.parseDouble(level.group(1))).as("exposure, 0 (best) to 10").isLessThanOrEqualTo(2.5);
    }

    /** The unit with ExecStart's java replaced by this JVM's, so verify finds an executable on any machine. */
    private Path runnableCopy() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String text = Files.readString(UNIT).replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " ");
        assertThat(text).contains("ExecStart=" + java);
        return Files.writeString(dir.resolve("relay.service"), text);
    }

    /** Runs systemd-analyze in the working directory; the test is skipped, saying why, when there is none. */
    private static HostTool.Result systemdAnalyze(String... arguments) throws Exception {
        return HostTool.run("systemd-analyze", "Debian's systemd package has it", Path.of(System.getProperty("user.dir")),
                Duration.ofSeconds(60), arguments);
    }
}
