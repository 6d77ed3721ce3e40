package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.tls.testkit.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS through the whole relay as configured from YAML: the policy is fetched with the
 * configured DNS, port and extra trust, persisted under mta-sts.cache-directory, and still
 * enforced after a restart while the policy host is down and the MX record points elsewhere.
 */
class RelayMtaStsTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Relay STS Test CA");

    @TempDir
    Path dir;

    @Test
    void anEnforcedPolicySurvivesARestartWhileThePolicyHostIsDown() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(CA.issue("mx.dest.test"))
                        .certificateFor("mx.attacker.test", CA.issue("mx.attacker.test")).start()) {
            TestPolicyServer web = TestPolicyServer.start(CA);
            dns.a("mta-sts.dest.test", "127.0.0.1").txt("_mta-sts.dest.test", "v=STSv1; id=1")
                    .mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1")
                    .a("mx.attacker.test", "127.0.0.1");
            web.domain("dest.test").policy("version: STSv1\nmode: enforce\nmx: mx.dest.test\nmax_age: 604800\n");
            RelayConfig config = config(dns, mx, web);

            RelayApplication first = RelayApplication.start(config);
            try {
                submit(first.smtpAddresses().getFirst(), "first");
                assertThat(mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst().sni()).contains("mx.dest.test");
            } finally {
                first.stop();
            }
            assertThat(web.requestCount()).isEqualTo(1);

            web.close();
            dns.remove("dest.test").mx("dest.test", 10, "mx.attacker.test");
            RelayApplication second = RelayApplication.start(config);
            try {
                submit(second.smtpAddresses().getFirst(), "second");
                RecipientStatus.Deferred deferred = awaitDeferred(second);
                assertThat(deferred.reason()).startsWith("451 4.7.5 MTA-STS policy of <dest.test> (mode enforce)")
                        .contains("mx.attacker.test does not match");
                assertThat(mx.messages()).as("the attacker's host got nothing").hasSize(1);
            } finally {
                second.stop();
            }
        }
    }

    private static RecipientStatus.Deferred awaitDeferred(RelayApplication relay) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RecipientStatus> status = relay.queue().list().stream().findFirst()
                    .map(QueuedMessage::statuses).map(s -> s.getFirst());
            if (status.isPresent() && status.get() instanceof RecipientStatus.Deferred deferred) {
                return deferred;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no deferred recipient: " + relay.queue().list());
    }

    private RelayConfig config(TestDnsServer dns, TestMx mx, TestPolicyServer web) throws Exception {
        Path trust = CA.writeTrustPem(dir.resolve("ca.pem"));
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
                  min-free-space: 1MB
                delivery:
                  port: %d
                  dns:
                    servers: [%s]
                  tls:
                    extra-trust: %s
                mta-sts:
                  cache-directory: %s
                  https-port: %d
                admin:
                  address: 127.0.0.1:0
                shutdown-grace: 2s
                """.formatted(dir.resolve("spool"), mx.port(), dns.hostPort(), trust, dir.resolve("mta-sts"),
                web.port()));
        return new ConfigLoader(Map.of()).load(file).config();
    }

    private static void submit(InetSocketAddress relay, String subject) throws Exception {
        try (Socket socket = new Socket(relay.getAddress(), relay.getPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            for (String[] step : new String[][] {{null, "220"}, {"EHLO client.test", "250"},
                    {"MAIL FROM:<alice@origin.test>", "250"}, {"RCPT TO:<bob@dest.test>", "250"}, {"DATA", "354"},
                    {"Subject: " + subject + "\r\n\r\nHello.\r\n.", "250"}, {"QUIT", "221"}}) {
                if (step[0] != null) {
                    out.write((step[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                String line;
                do {
                    line = in.readLine();
                    assertThat(line).as("reply to %s", step[0]).isNotNull().startsWith(step[1]);
                } while (line.charAt(3) == '-');
            }
        }
    }
}
