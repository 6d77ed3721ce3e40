package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.metrics.RelayMetrics;
import dev.relay.smtp.testkit.SmtpTestClient;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's metrics, driven by real SMTP sessions on loopback and read from the registry. */
class SmtpMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private RelayMetrics metrics;

    @AfterEach
    void close() {
        if (metrics != null) {
            metrics.close();
        }
    }

    private SmtpFixture fixture(SmtpFixture fixture) {
        metrics = RelayMetrics.on(registry, List.of(fixture.listener().name()), fixture.clock);
        return fixture.alsoTell(metrics.smtpEvents(SmtpEvents.NONE));
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double active(String listener) {
        return registry.get("relay.smtp.connections.active").tag("listener", listener).gauge().value();
    }

    @Test
    void aConnectionIsActiveWhileOpenAndItsSessionIsCounted() throws Exception {
        SmtpFixture fixture = fixture(SmtpFixture.defaults());
        String listener = fixture.listener().name();
        assertThat(active(listener)).isZero();
        assertThat(counter("relay.smtp.sessions", "listener", listener)).isZero();
        try (TestServer server = fixture.server()) {
            SmtpTestClient first = server.connect();
            SmtpTestClient second = server.connect();
            first.hello();
            second.hello();
            assertThat(active(listener)).isEqualTo(2);
            assertThat(counter("relay.smtp.sessions", "listener", listener)).isEqualTo(2);

            assertThat(first.command("QUIT").text()).startsWith("221");
            first.close();
            awaitValue(() -> active(listener), 1);
            second.close();
            awaitValue(() -> active(listener), 0);
        }
        assertThat(counter("relay.smtp.sessions", "listener", listener)).isEqualTo(2);
    }

    @Test
    void anAcceptedMessageIsCountedWithItsSize() throws Exception {
        SmtpFixture fixture = fixture(SmtpFixture.defaults());
        String listener = fixture.listener().name();
        String content = "Subject: metrics\r\n\r\n" + "x".repeat(998) + "\r\n";
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            assertThat(client.command("DATA").text()).startsWith("354");
            client.write(content);
            assertThat(client.command(".").text()).startsWith("250");
        }
        assertThat(counter("relay.messages.accepted", "listener", listener)).isEqualTo(1);
        DistributionSummary size = registry.get("relay.message.size").summary();
        assertThat(size.count()).isEqualTo(1);
        // the client's message as sent, without the Received line the relay prepends
        assertThat((long) size.totalAmount()).isEqualTo(content.length());
        assertThat(fixture.queue.only().body().length).isGreaterThan(content.length());
        assertThat(RejectReason.values()).allSatisfy(reason ->
                assertThat(counter("relay.messages.rejected", "reason", reason.label())).as(reason.label()).isZero());
    }

    @Test
    void rejectionsAreCountedByReason() throws Exception {
        SmtpFixture fixture = fixture(SmtpFixture.defaults().maxMessageSize(1024).maxRecipients(1));
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=4096").text()).startsWith("552");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            assertThat(client.command("RCPT TO:<c@example.com>").text()).startsWith("452");
            assertThat(client.command("DATA").text()).startsWith("354");
            client.write("Subject: smuggled\r\n\r\nhello\n.\nmore\r\n");
            assertThat(client.command(".").text()).startsWith("554 5.6.0");
        }
        assertThat(counter("relay.messages.rejected", "reason", "message_too_big")).isEqualTo(1);
        assertThat(counter("relay.messages.rejected", "reason", "too_many_recipients")).isEqualTo(1);
        assertThat(counter("relay.messages.rejected", "reason", "bare_line_break")).isEqualTo(1);
        assertThat(counter("relay.messages.rejected", "reason", "relay_denied")).isZero();
        assertThat(counter("relay.messages.accepted", "listener", fixture.listener().name())).isZero();
        assertThat(registry.get("relay.message.size").summary().count()).isZero();
    }

    @Test
    void aClientThatMayNotRelayIsCountedAsRelayDenied() throws Exception {
        SmtpFixture fixture = fixture(SmtpFixture.defaults().noRelayNetworks());
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RCPT TO:<b@example.com>").text()).startsWith("554");
        }
        assertThat(counter("relay.messages.rejected", "reason", "relay_denied")).isEqualTo(1);
    }

    /** Connection close is reported on the event loop after the socket closes: wait for it, bounded. */
    private static void awaitValue(DoubleSupplier value, double wanted) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(value.getAsDouble()).isEqualTo(wanted));
    }
}
