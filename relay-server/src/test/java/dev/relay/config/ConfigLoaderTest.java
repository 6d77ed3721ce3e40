package dev.relay.config;

import dev.relay.smtp.server.Limits;

import dev.relay.tls.TlsFiles;

import dev.relay.dns.DnssecMode;
import dev.relay.settings.HostPort;
import dev.relay.settings.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of(), () -> "localhost");

    @BeforeEach
    void files() throws IOException {
        PlaceholderFiles.create(dir, "cert.pem", "key.pem", "users", "ca.pem");
        Files.writeString(dir.resolve("anchors"), ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
    }

    @Test
    void theEmbeddedFileAndTheBuiltInDefaultsAreTheSameRelay() {
        RelayConfig fromRepoFile = loader.load(Path.of("../config/relay.yaml")).config();
        RelayConfig fromNothing = loader.loadYaml("", "empty").config();
        LoadedConfig fromClassPath = loader.loadDefault();

        assertThat(fromNothing).isEqualTo(fromRepoFile);
        assertThat(fromClassPath.config()).isEqualTo(fromRepoFile);
        assertThat(fromClassPath.source()).isEqualTo(ConfigLoader.BUILT_IN);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        RelayConfig c = loader.loadYaml("", "empty").config();

        assertThat(c.listeners()).containsExactly(
                new ListenerConfig(new HostPort("127.0.0.1", 2525), Mode.OPTIONAL, false, Mode.OPTIONAL));
        assertThat(c.relayNetworks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(c.usersFile()).isEmpty();
        assertThat(c.tls()).isEmpty();
        assertThat(c.limits()).isEqualTo(new Limits(50L * 1024 * 1024, 1000, 1000, 50, true,
                Duration.ofMinutes(5), Duration.ofMinutes(5), true, 500, 10, 50, false));
        assertThat(c.spool()).isEqualTo(new RelayConfig.SpoolConfig(Path.of("./data/spool"), 256L << 20, 0));
        assertThat(c.queue().retrySchedule()).extracting(Duration::toMinutes).containsExactly(1L, 5L, 15L, 30L, 60L, 120L, 240L);
        assertThat(c.queue().maxLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(c.queue().delayWarningAfter()).contains(Duration.ofHours(4));
        assertThat(c.delivery().port()).isEqualTo(25);
        assertThat(c.delivery().maxConnectionsPerDomain()).isEqualTo(20);
        assertThat(c.delivery().dns().servers()).isEmpty();
        assertThat(c.delivery().dns().dnssec()).isEqualTo(DnssecMode.VALIDATE);
        assertThat(c.delivery().dns().trustAnchors()).isEmpty();
        assertThat(c.delivery().tls().extraTrust()).isEmpty();
        assertThat(c.mtaSts()).isEqualTo(new RelayConfig.MtaStsConfig(true, Path.of("./data/mta-sts"), 443, Duration.ofHours(1)));
        assertThat(c.admin()).isEqualTo(new RelayConfig.AdminConfig(new HostPort("127.0.0.1", 9464), Optional.empty()));
        assertThat(c.network().io()).isEqualTo(dev.relay.network.NetworkIo.AUTO);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutAHostnameTheMachineNameIsUsed() {
        var machine = new ConfigLoader(Map.of(), () -> "mx1.internal.example");
        assertThat(machine.loadYaml("spool: {directory: /tmp/x}", "t").config().hostname()).isEqualTo("mx1.internal.example");
        assertThat(machine.loadDefault().config().hostname()).isEqualTo("localhost");
        assertThat(new ConfigLoader(Map.of()).loadYaml("", "t").config().hostname()).isNotBlank();
    }

    @Test
    void theDesignExampleLoads() {
        String yaml = """
                hostname: relay.example.net
                listeners:
                  - address: 0.0.0.0:25
                    starttls: optional
                    auth: optional
                  - address: 0.0.0.0:587
                    starttls: required
                    auth: required
                  - address: 0.0.0.0:465
                    implicit-tls: true
                    auth: required
                relay-networks: [127.0.0.0/8, "::1/128", 10.0.0.0/8]
                users-file: DIR/users
                tls:
                  certificate: DIR/cert.pem
                  key: DIR/key.pem
                limits:
                  max-message-size: 10MB
                  max-recipients: 100
                  max-connections: 200
                  max-connections-per-client: 5
                  exempt-relay-networks: false
                  command-timeout: 2m
                  data-timeout: 10m
                  per-record-deadline: false
                  min-data-rate: 1KB
                  max-errors: 3
                  max-received-headers: 30
                  address-literal-recipients: true
                spool:
                  directory: DIR/spool
                  min-free-space: 1GB
                  max-messages: 100000
                queue:
                  retry-schedule: [30s, 2m]
                  max-lifetime: 2d
                  delay-warning-after: off
                delivery:
                  port: 2525
                  max-connections-per-domain: 4
                  dns:
                    servers: [127.0.0.1:5353, "[::1]:53", 192.0.2.1]
                    dnssec: trust-ad
                    trust-anchors: DIR/anchors
                  tls:
                    extra-trust: DIR/ca.pem
                mta-sts:
                  enabled: false
                  cache-directory: DIR/sts
                  https-port: 8443
                  policy-unknown-wait: 30m
                admin:
                  address: 127.0.0.1:0
                  token: s3cret-token
                shutdown-grace: 0s
                """.replace("DIR", dir.toString());

        LoadedConfig loaded = loader.loadYaml(yaml, "example.yaml");
        RelayConfig c = loaded.config();

        assertThat(c.hostname()).isEqualTo("relay.example.net");
        assertThat(c.listeners()).containsExactly(
                new ListenerConfig(new HostPort("0.0.0.0", 25), Mode.OPTIONAL, false, Mode.OPTIONAL),
                new ListenerConfig(new HostPort("0.0.0.0", 587), Mode.REQUIRED, false, Mode.REQUIRED),
                new ListenerConfig(new HostPort("0.0.0.0", 465), Mode.OFF, true, Mode.REQUIRED));
        assertThat(c.relayNetworks()).containsExactly("127.0.0.0/8", "::1/128", "10.0.0.0/8");
        assertThat(c.usersFile()).contains(dir.resolve("users"));
        assertThat(c.tls()).contains(new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem")));
        assertThat(c.limits()).isEqualTo(new Limits(10L << 20, 100, 200, 5, false,
                Duration.ofMinutes(2), Duration.ofMinutes(10), false, 1024, 3, 30, true));
        assertThat(c.spool()).isEqualTo(new RelayConfig.SpoolConfig(dir.resolve("spool"), 1L << 30, 100000));
        assertThat(c.queue()).isEqualTo(new RelayConfig.QueueConfig(
                List.of(Duration.ofSeconds(30), Duration.ofMinutes(2)), Duration.ofDays(2), Optional.empty()));
        assertThat(c.delivery().port()).isEqualTo(2525);
        assertThat(c.delivery().maxConnectionsPerDomain()).isEqualTo(4);
        assertThat(c.delivery().dns().servers()).containsExactly(
                new HostPort("127.0.0.1", 5353), new HostPort("::1", 53), new HostPort("192.0.2.1", 53));
        assertThat(c.delivery().tls().extraTrust()).contains(dir.resolve("ca.pem"));
        assertThat(c.delivery().dns().dnssec()).isEqualTo(DnssecMode.TRUST_AD);
        assertThat(c.delivery().dns().trustAnchors()).contains(dir.resolve("anchors"));
        assertThat(c.mtaSts()).isEqualTo(new RelayConfig.MtaStsConfig(false, dir.resolve("sts"), 8443, Duration.ofMinutes(30)));
        assertThat(c.admin()).isEqualTo(new RelayConfig.AdminConfig(new HostPort("127.0.0.1", 0), Optional.of("s3cret-token")));
        assertThat(c.shutdownGrace()).isZero();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.source()).isEqualTo("example.yaml");
    }

    @Test
    void aFileThatIsNotThereIsOneLineNamingIt() {
        Path missing = dir.resolve("nope/relay.yaml");
        assertThatThrownBy(() -> loader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> loader.load(dir))
                .hasMessage(dir + ": is a directory, expected a YAML file");
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws IOException {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'h', 'o', 's', 't', 'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9});
        assertThatThrownBy(() -> loader.load(latin1)).hasMessage(latin1 + ": not UTF-8 text");
    }

    @Test
    void yamlSyntaxErrorsGiveFileLineAndColumnOnOneLine() {
        assertThatThrownBy(() -> loader.loadYaml("limits:\n  max-recipients: 5\n   max-errors: 3\n", "r.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("r.yaml:3:")
                .hasMessageContaining("YAML syntax error")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> loader.loadYaml("hostname: a\nspool: {directory: x}\nhostname: b\n", "r.yaml"))
                .hasMessageStartingWith("r.yaml:3:")
                .hasMessageContaining("duplicate key 'hostname'");
        assertThatThrownBy(() -> loader.loadYaml("relay-networks: [10.0.0.0/8\n", "r.yaml"))
                .hasMessageStartingWith("r.yaml:")
                .hasMessageContaining("YAML syntax error");
        assertThatThrownBy(() -> loader.loadYaml("- a\n- b\n", "r.yaml"))
                .hasMessage("r.yaml: expected a mapping of keys to values at the top level, got a list");
    }

    @Test
    void warningsNameTheKeyButDoNotStopTheLoad() {
        var loaded = loader.loadYaml("""
                relay-networks: [0.0.0.0/0]
                admin: {address: "0.0.0.0:9464", token: s3cret}
                """, "t");
        assertThat(loaded.warnings()).containsExactly(
                "listeners[0].starttls: optional, but tls.certificate is not set: STARTTLS will not be offered",
                "listeners[0].auth: optional, but users-file is not set: AUTH will not be offered",
                "relay-networks[0]: 0.0.0.0/0 lets every client relay without AUTH (an open relay unless a firewall stands in front)");

        var noTlsListener = loader.loadYaml("""
                users-file: DIR/users
                listeners: [{address: "127.0.0.1:2525", starttls: off, auth: optional}]
                """.replace("DIR", dir.toString()), "t");
        assertThat(noTlsListener.warnings()).containsExactly(
                "listeners[0].auth: optional, but this listener has no TLS: AUTH will not be offered (it is offered only over TLS)");
    }

    @Test
    void twoListenersOnPortZeroDoNotClash() {
        var c = loader.loadYaml("listeners: [{address: \"127.0.0.1:0\"}, {address: \"127.0.0.1:0\"}]", "t").config();
        assertThat(c.listeners()).hasSize(2);
    }

    @Test
    void anEmptyYamlValueMeansTheDefault() {
        var c = loader.loadYaml("limits:\n  max-recipients:\nusers-file: ~\n", "t").config();
        assertThat(c.limits().maxRecipients()).isEqualTo(1000);
        assertThat(c.usersFile()).isEmpty();
    }

    @Test
    void sizesMayBePlainBytes() {
        var c = loader.loadYaml("limits: {max-message-size: 1048576}", "t").config();
        assertThat(c.limits().maxMessageSize()).isEqualTo(1L << 20);
    }

    @Test
    void theCommentedExampleLoadsAndMentionsEveryKey() throws IOException {
        Path example = Path.of("../config/relay.example.yaml");
        RelayConfig c = loader.load(example).config();
        assertThat(c).as("the example shows the defaults").isEqualTo(loader.loadYaml("hostname: relay.example.net", "t").config());
        String text = Files.readString(example);
        for (var key : KeySchema.KEYS) {
            String leaf = key.path().substring(key.path().lastIndexOf('.') + 1);
            assertThat(text).as(key.path()).contains(leaf + ":");
        }
    }
}
