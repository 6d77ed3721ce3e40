package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message submitted to the running relay's listener reaches a loopback MX over STARTTLS, intact. */
class RelayDeliveryTest {

    private static final String MESSAGE = """
            From: Alice <alice@origin.test>\r
            To: Bob <bob@dest.test>\r
            Subject: end to end\r
            Message-ID: <e2e-1@origin.test>\r
            \r
            First line.\r
            .A line that starts with a dot.\r
            \r
            Last line.\r
            """;

    @TempDir
    Path dir;

    @Test
    void submittedMessageArrivesAtTheMxOverTls() throws Exception {
        TestCertificates.Authority ca = TestCertificates.newAuthority("E2E Test CA");
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(ca.issue("mx.dest.test")).extensions("PIPELINING", "8BITMIME").start()) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
            RelayApplication relay = RelayApplication.start(config(dns, mx));
            try {
                submit(relay.smtpAddresses().getFirst());

                ReceivedMessage received = mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst();
                assertThat(received.tls()).isTrue();
                assertThat(received.sni()).contains("mx.dest.test");
                assertThat(received.sender()).isEqualTo("alice@origin.test");
                assertThat(received.recipients()).containsExactly("bob@dest.test");
                String body = received.bodyText();
                assertThat(body).startsWith("Received: ").contains("by relay.test");
                assertThat(body.substring(body.indexOf("From: Alice"))).isEqualTo(MESSAGE);
            } finally {
                relay.stop();
            }
        }
    }

    @Test
    void aRejectedRecipientBouncesToTheSenderWithTheOriginalAttached() throws Exception {
        TestCertificates.Authority ca = TestCertificates.newAuthority("E2E Test CA");
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(ca.issue("mx.dest.test"))
                        .reply(TestMx.Verb.RCPT, "bob@", "550 5.1.1 <bob@dest.test>: no such user here").start()) {
            // the bounce travels back to origin.test, whose MX is the same loopback sink
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1")
                    .mx("origin.test", 10, "mx.origin.test").a("mx.origin.test", "127.0.0.1");
            RelayApplication relay = RelayApplication.start(config(dns, mx));
            try {
                submit(relay.smtpAddresses().getFirst());

                ReceivedMessage bounce = mx.awaitMessages(1, Duration.ofSeconds(20)).getFirst();
                assertThat(bounce.sender()).as("a DSN comes from the null sender").isEmpty();
                assertThat(bounce.recipients()).containsExactly("alice@origin.test");
                String text = bounce.bodyText();
                assertThat(text).contains("Content-Type: multipart/report", "report-type=delivery-status",
                        "Final-Recipient: rfc822; bob@dest.test", "Action: failed", "Status: 5.1.1",
                        "no such user here", "Subject: end to end");
                // the MX has the DSN a moment before the relay records it as delivered
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                        assertThat(relay.queue().list()).as("bob failed and the DSN went out: nothing left queued").isEmpty());
            } finally {
                relay.stop();
            }
        }
    }

    private RelayConfig config(TestDnsServer dns, TestMx mx) throws Exception {
        return TestRelayConfig.in(dir).deliveryPort(mx.port()).dns(dns.hostPort()).load();
    }

    private static void submit(InetSocketAddress relay) throws Exception {
        SmtpTestClient.submit(relay, "alice@origin.test", "bob@dest.test", MESSAGE);
    }
}
