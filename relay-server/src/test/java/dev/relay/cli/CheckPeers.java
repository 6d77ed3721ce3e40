package dev.relay.cli;

import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.tls.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The loopback peers the {@code check} commands run against: a DNS server, a policy server with a
 * certificate from {@code ca}, and the one MX a scenario starts (it plays every host name), with
 * the relay configuration that points the command at them.
 */
final class CheckPeers implements AutoCloseable {
    /** Port the configuration names when a scenario starts no MX: nothing is dialled there. */
    private static final int NO_MX_PORT = 25;

    final TestDnsServer dns = TestDnsServer.start();
    final TestPolicyServer web;
    private final TestCertificates.Authority ca;
    private final Path dir;
    private Optional<TestMx> mx = Optional.empty();

    /** Peers trusting {@code ca}; the configuration and the CA's trust file go into {@code dir}. */
    CheckPeers(TestCertificates.Authority ca, Path dir) {
        this.ca = ca;
        this.dir = dir;
        this.web = TestPolicyServer.start(ca);
    }

    /** Starts the MX; the command connects to its port whatever host it checks. */
    void startMx(TestMx.Builder builder) {
        mx = Optional.of(builder.start());
    }

    /** dest.test's MX record naming {@code host}, at 127.0.0.1, which this server plays. */
    void mxAt(String host, TestMx.Builder server) {
        dns.mx("dest.test", 10, host).a(host, "127.0.0.1");
        startMx(server);
    }

    /** dest.test's TXT record with this policy id, and its enforce policy naming these MX hosts. */
    void publishEnforce(String id, String... mxHosts) {
        publish(id, TestPolicyServer.policyText("enforce", 86400, mxHosts));
    }

    /** dest.test's TXT record with this policy id, and this text (valid or not) as its policy file. */
    void publish(String id, String policyText) {
        dns.txt("_mta-sts.dest.test", "v=STSv1; id=" + id);
        web.domain("dest.test").policy(policyText);
    }

    /**
     * Runs {@code relay.jar COMMAND check DOMAIN} with a relay.yaml pointing at these peers;
     * {@code dnsKeys} and {@code mtaStsKeys} are further {@code , key: value} entries of
     * {@code delivery.dns} and {@code mta-sts}.
     */
    CommandRun check(String command, String domain, String dnsKeys, String mtaStsKeys) throws IOException {
        Path trust = ca.writeTrustPem(dir.resolve("ca.pem"));
        Path config = Files.writeString(dir.resolve("relay.yaml"), """
                hostname: relay.test
                delivery:
                  port: %d
                  dns: {servers: [%s]%s}
                  tls: {extra-trust: %s}
                mta-sts: {https-port: %d%s}
                """.formatted(mx.map(TestMx::port).orElse(NO_MX_PORT), dns.hostPort(), dnsKeys, trust, web.port(),
                mtaStsKeys));
        return CommandRun.of(command, "check", "--config", config.toString(), "--timeout", "5", domain);
    }

    @Override
    public void close() {
        mx.ifPresent(TestMx::close);
        web.close();
        dns.close();
    }
}
