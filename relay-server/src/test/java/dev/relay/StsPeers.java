package dev.relay;

import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback peers of the whole-relay MTA-STS scenarios: a DNS server, a policy server and one
 * MX, with certificates from one test CA, and dest.test's records on them; and the relays started
 * on them, stopped first when the peers close.
 */
final class StsPeers implements AutoCloseable {
    /** max_age of every policy published here: a week, so nothing expires during a test. */
    static final long MAX_AGE = 604800;

    final TestDnsServer dns;
    final TestPolicyServer web;
    final TestMx mx;
    private final TestCertificates.Authority ca;
    private final List<RelayApplication> relays = new ArrayList<>();
    private boolean webStopped;

    private StsPeers(TestCertificates.Authority ca, TestMx.Builder mx) {
        this.ca = ca;
        this.dns = TestDnsServer.start();
        this.web = TestPolicyServer.start(ca);
        this.mx = mx.start();
    }

    /** The peers, the policy server's certificates from {@code ca}, the MX as {@code mx} builds it. */
    static StsPeers start(TestCertificates.Authority ca, TestMx.Builder mx) {
        return new StsPeers(ca, mx);
    }

    /** dest.test's TXT record with this policy id, and its policy file of this mode listing these MX patterns. */
    StsPeers publish(String id, String mode, String... mxPatterns) {
        dns.a("mta-sts.dest.test", "127.0.0.1").txt("_mta-sts.dest.test", "v=STSv1; id=" + id);
        policy(mode, mxPatterns);
        return this;
    }

    /** Replaces dest.test's policy file (the TXT record stays). */
    StsPeers policy(String mode, String... mxPatterns) {
        web.domain("dest.test").policy(TestPolicyServer.policyText(mode, MAX_AGE, mxPatterns));
        return this;
    }

    /** dest.test's MX record naming {@code host}; it and {@code otherHosts} are at 127.0.0.1 (the MX plays them all). */
    StsPeers mxAt(String host, String... otherHosts) {
        dns.mx("dest.test", 10, host).a(host, "127.0.0.1");
        for (String other : otherHosts) {
            dns.a(other, "127.0.0.1");
        }
        return this;
    }

    /** The relay's configuration in {@code dir}, delivering through these peers and trusting the CA. */
    RelayConfig config(Path dir) throws IOException {
        return TestRelayConfig.in(dir).deliveringThrough(dns, mx, web, ca).load();
    }

    /** A relay on {@link #config} in {@code dir}, stopped (if the test has not) when the peers close. */
    RelayApplication startRelay(Path dir) throws IOException {
        return startRelay(config(dir));
    }

    /** A relay on this configuration, stopped (if the test has not) when the peers close. */
    RelayApplication startRelay(RelayConfig config) {
        RelayApplication relay = RelayApplication.start(config);
        relays.add(relay);
        return relay;
    }

    /** The policy host going down in the middle of a scenario. */
    void stopPolicyServer() {
        web.close();
        webStopped = true;
    }

    /** A message from alice@origin.test to bob@dest.test through the relay's first listener. */
    static void submit(RelayApplication relay, String subject) throws Exception {
        SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@dest.test",
                "Subject: " + subject + "\r\n\r\nHello.\r\n");
    }

    @Override
    public void close() {
        relays.forEach(RelayApplication::stop);
        mx.close();
        if (!webStopped) {
            web.close();
        }
        dns.close();
    }
}
