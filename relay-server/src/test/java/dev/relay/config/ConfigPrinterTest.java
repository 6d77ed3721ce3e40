package dev.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrinterTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of(), () -> "localhost");

    @Test
    void theDefaultPrintsInTheUnitsItWasWrittenIn() {
        String yaml = ConfigPrinter.effectiveYaml(loader.loadDefault().config());
        assertThat(yaml)
                .contains("hostname: localhost")
                .contains("max-message-size: 50MB")
                .contains("- 1m")
                .contains("max-lifetime: 5d")
                .contains("address: 127.0.0.1:2525")
                .contains("starttls: optional")
                .contains("min-free-space: 256MB")
                .contains("shutdown-grace: 30s")
                .contains("io: auto");
    }

    @Test
    void printingAndLoadingAgainGivesTheSameConfigWithTheTokenMasked() throws IOException {
        PlaceholderFiles.create(dir, "c.pem", "k.pem", "users");
        String original = """
                hostname: relay.example.net
                listeners:
                  - {address: "0.0.0.0:25", auth: off}
                  - {address: "[::]:465", implicit-tls: true, auth: required}
                relay-networks: [10.0.0.0/8, "fd00::/8"]
                users-file: DIR/users
                tls: {certificate: DIR/c.pem, key: DIR/k.pem}
                limits: {max-message-size: 1000, command-timeout: 90s}
                queue: {retry-schedule: [1h30m], delay-warning-after: off}
                delivery: {dns: {servers: ["[::1]:53", 127.0.0.1:5353]}}
                tls-rpt: {enabled: true, organization-name: Example Org, report-sender: tls-reports@example.net, send-by-hour: 6}
                tls-policy:
                  overrides:
                    - {domain: Partner.Example, mode: enforce, mx: [mx.partner.example, "*.mail.partner.example"], reason: contract}
                    - {domain: broken.example, mode: testing, until: 2027-01-31, reason: their certificate expired}
                logging: {level: debug}
                admin: {token: abc123}
                network: {io: epoll}
                """.replace("DIR", dir.toString());
        RelayConfig config = loader.loadYaml(original, "t").config();

        String printed = ConfigPrinter.effectiveYaml(config);
        RelayConfig again = loader.loadYaml(printed, "printed").config();

        assertThat(printed).doesNotContain("abc123").contains("token: '" + ConfigPrinter.MASK + "'");
        assertThat(again.admin().token()).contains(ConfigPrinter.MASK);
        assertThat(again.tlsPolicyOverrides()).hasSize(2);
        assertThat(again.tlsPolicyOverrides().getFirst().domain()).isEqualTo("partner.example");
        assertThat(again.tlsPolicyOverrides().get(1).until()).contains(java.time.Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(again.logLevel()).contains("DEBUG");
        assertThat(again.network().io()).isEqualTo(dev.relay.network.NetworkIo.EPOLL);
        assertThat(again).isEqualTo(new RelayConfig(config.hostname(), config.listeners(), config.relayNetworks(),
                config.usersFile(), config.tls(), config.limits(), config.spool(), config.queue(), config.delivery(),
                config.mtaSts(), config.tlsRpt(), config.tlsPolicyOverrides(), config.logLevel(), new RelayConfig.AdminConfig(config.admin().address(), Optional.of(ConfigPrinter.MASK)),
                config.network(), config.shutdownGrace()));
    }
}
