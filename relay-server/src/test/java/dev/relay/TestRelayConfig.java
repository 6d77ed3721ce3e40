package dev.relay;

import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.tls.TlsFiles;

import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import dev.relay.tls.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration tests run a whole {@link RelayApplication} with: one plain loopback
 * listener and the admin server on random ports, spool and policy cache in a temp directory,
 * DNS and delivery pointed at loopback test servers (or at a port where nothing answers).
 */
final class TestRelayConfig {
    private final Path dir;
    private int deliveryPort = 25;
    private String dns = "127.0.0.1:9";
    private String adminAddress = "127.0.0.1:0";
    private Optional<String> token = Optional.empty();
    private String shutdownGrace = "2s";
    private Optional<Path> extraTrust = Optional.empty();
    private int mtaStsHttpsPort = 443;
    private Optional<Path> spoolDirectory = Optional.empty();
    private String minFreeSpace = "1MB";
    private Optional<TlsFiles> serverTls = Optional.empty();
    /** {@code delivery.dns.dnssec} and its trust anchors: off, since the test DNS server holds no root. */
    private String dnssec = "off";
    private Optional<Path> trustAnchors = Optional.empty();
    private boolean tlsRpt;
    private String extraYaml = "";

    private TestRelayConfig(Path dir) {
        this.dir = dir;
    }

    static TestRelayConfig in(Path dir) {
        return new TestRelayConfig(dir);
    }

    TestRelayConfig deliveryPort(int port) {
        this.deliveryPort = port;
        return this;
    }

    TestRelayConfig dns(String hostPort) {
        this.dns = hostPort;
        return this;
    }

    TestRelayConfig admin(String address) {
        this.adminAddress = address;
        return this;
    }

    TestRelayConfig token(String token) {
        this.token = Optional.of(token);
        return this;
    }

    /** {@code delivery.tls.extra-trust}: CAs the relay trusts for outbound TLS. */
    TestRelayConfig extraTrust(Path pem) {
        this.extraTrust = Optional.of(pem);
        return this;
    }

    /** {@code mta-sts.https-port}: where policies are fetched (a loopback policy server in tests). */
    TestRelayConfig mtaStsHttpsPort(int port) {
        this.mtaStsHttpsPort = port;
        return this;
    }

    /**
     * Delivery as the MTA-STS scenarios run it: to {@code mx}'s port, names from {@code dns},
     * policies fetched from {@code web}, and {@code ca}, which issued the MX's and the policy
     * host's certificates, trusted ({@code delivery.tls.extra-trust}).
     */
    TestRelayConfig deliveringThrough(TestDnsServer dns, TestMx mx, TestPolicyServer web, TestCertificates.Authority ca)
            throws IOException {
        return deliveryPort(mx.port()).dns(dns.hostPort()).extraTrust(ca.writeTrustPem(dir.resolve("ca.pem")))
                .mtaStsHttpsPort(web.port());
    }

    /** {@code spool.directory}, when it must be elsewhere than the temp directory (a small disk). */
    TestRelayConfig spoolDirectory(Path directory) {
        this.spoolDirectory = Optional.of(directory);
        return this;
    }

    /** {@code spool.min-free-space} ({@code 1MB} by default here). */
    TestRelayConfig minFreeSpace(String size) {
        this.minFreeSpace = size;
        return this;
    }

    /** {@code tls.certificate} and {@code tls.key}: the relay's own certificate (the listener stays plain). */
    TestRelayConfig serverTls(TlsFiles files) {
        this.serverTls = Optional.of(files);
        return this;
    }

    /** {@code delivery.dns.dnssec: validate} from these anchors ({@code delivery.dns.trust-anchors}): DANE on. */
    TestRelayConfig validateDnssec(Path anchors) {
        this.dnssec = "validate";
        this.trustAnchors = Optional.of(anchors);
        return this;
    }

    /** {@code delivery.dns.dnssec: validate} from the built-in root anchors, which no test DNS server can satisfy. */
    TestRelayConfig validateDnssecFromTheRoot() {
        this.dnssec = "validate";
        this.trustAnchors = Optional.empty();
        return this;
    }

    /** {@code tls-rpt.enabled: true}, reports from tlsrpt@relay.test as relay.test, all sent by 04:00 UTC. */
    TestRelayConfig tlsRpt() {
        this.tlsRpt = true;
        return this;
    }

    /** Top-level YAML appended as is (sections the builder has no method for: tls-policy, logging). */
    TestRelayConfig extraYaml(String yaml) {
        this.extraYaml = yaml;
        return this;
    }

    TestRelayConfig shutdownGrace(String grace) {
        this.shutdownGrace = grace;
        return this;
    }

    RelayConfig load() throws IOException {
        Path file = dir.resolve("relay.yaml");
        Files.writeString(file, """
                hostname: relay.test
                listeners:
                  - address: 127.0.0.1:0
                    starttls: off
                    auth: off
                relay-networks: [127.0.0.0/8]
                spool:
                  directory: %s
                  min-free-space: %s
                delivery:
                  port: %d
                  max-connections-per-domain: 2
                  dns:
                    servers: [%s]
                    dnssec: %s
                %s
                %s
                mta-sts:
                  cache-directory: %s
                  https-port: %d
                admin:
                  address: %s
                %s
                shutdown-grace: %s
                %s
                %s
                %s
                """.formatted(spoolDirectory.orElse(dir.resolve("spool")), minFreeSpace, deliveryPort, dns, dnssec,
                trustAnchors.map(anchors -> "    trust-anchors: " + anchors).orElse(""),
                extraTrust.map(pem -> "  tls: {extra-trust: " + pem + "}").orElse(""), dir.resolve("mta-sts"), mtaStsHttpsPort, adminAddress,
                token.map(t -> "  token: " + t).orElse(""), shutdownGrace,
                serverTls.map(f -> "tls: {certificate: " + f.certificate() + ", key: " + f.key() + "}").orElse(""),
                tlsRpt ? "tls-rpt: {enabled: true, organization-name: Relay Test Org, contact-info: tlsrpt@relay.test, "
                        + "report-sender: tlsrpt@relay.test, submitter: relay.test, send-by-hour: 4}" : "",
                extraYaml));
        return new ConfigLoader(Map.of()).load(file).config();
    }
}
