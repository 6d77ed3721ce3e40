package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.network.Transport;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener on each transport this machine runs (io_uring, epoll, NIO): the other listener
 * tests run on the best one only, so these cover the rest: a large message over STARTTLS with
 * pipelined commands, and a client that vanishes in the middle of its content.
 */
class TransportsTest {

    static List<Transport> transports() {
        return Transport.available();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aLargeMessageArrivesWholeOverStarttlsWithPipelinedCommands(Transport transport) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls();
        StringBuilder body = new StringBuilder("Subject: transport ").append(transport.label()).append("\r\n\r\n");
        for (int line = 0; body.length() < 300_000; line++) {
            body.append("line ").append(line).append(" of a message that spans many reads\r\n");
        }
        try (TestServer server = new TestServer(fixture, transport); SmtpTestClient client = server.connect()) {
            assertThat(server.resources.transport()).isEqualTo(transport);
            assertThat(client.hello().text()).contains("250-STARTTLS", "PIPELINING");
            client.command("STARTTLS", 220);
            client.startTls(TestTls.trustingClient());
            client.command("EHLO client.test", 250);
            client.write("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            client.expect(250);
            client.expect(250);
            client.expect(354);
            client.write(SmtpTestClient.dataPayload(body.toString()));
            assertThat(client.expect(250).text()).contains("queued as");
            client.command("QUIT", 221);

            CapturingQueue.Accepted accepted = fixture.queue.only();
            assertThat(new String(accepted.body(), StandardCharsets.UTF_8)).endsWith(body.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aClientThatVanishesMidMessageLeavesNothingQueued(Transport transport) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = new TestServer(fixture, transport)) {
            try (SmtpTestClient client = server.connectInData()) {
                client.write("Subject: cut\r\n\r\nhalf a message, then the connection drops\r\n");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.queue.openDrafts() == 0);
            fixture.queue.assertNothingQueued();

            // and the listener goes on serving
            try (SmtpTestClient again = server.connectInData()) {
                again.write(SmtpTestClient.dataPayload("Subject: next\r\n\r\nwhole\r\n"));
                assertThat(again.expect(250).text()).contains("queued as");
            }
            assertThat(fixture.queue.accepted()).hasSize(1);
        }
    }
}
