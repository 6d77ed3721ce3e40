package dev.relay.smtp.client;

import static dev.relay.delivery.testkit.TestMessages.message;
import static dev.relay.smtp.client.ClientFixture.CA;
import static dev.relay.smtp.client.ClientFixture.concluded;
import static dev.relay.smtp.client.ClientFixture.destination;
import static dev.relay.smtp.client.ClientFixture.outcomes;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.network.Transport;
import dev.relay.outcome.Outcome;
import dev.relay.tls.TlsRequirement;
import dev.relay.tls.testkit.TestCertificates;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outbound client on each transport this machine runs: the other client tests use the best
 * one only. A large message over verified STARTTLS, then a second on the same connection.
 */
class ClientTransportsTest {

    private static final TestCertificates.Issued MX_CERTIFICATE = CA.issue("a.mx.test");

    static List<Transport> transports() {
        return Transport.available();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void deliversOverVerifiedTlsAndReusesTheConnection(Transport transport) {
        StringBuilder body = new StringBuilder("Subject: over ").append(transport.label()).append("\r\n\r\n");
        for (int line = 0; body.length() < 300_000; line++) {
            body.append("line ").append(line).append(" of a message that spans many writes\r\n");
        }
        try (SmtpClient client = SmtpClient.builder(ClientFixture.tls(SslProvider.JDK)).heloName("relay.test")
                        .timeouts(ClientTimeouts.uniform(ClientFixture.WAIT)).ioThreads(1).transport(transport).build();
                TestMx mx = TestMx.builder().starttls(MX_CERTIFICATE).start()) {
            SmtpConnection connection = result(client.connect(
                    destination("a.mx.test", mx.address(), TlsRequirement.REQUIRED_VERIFIED)));
            try {
                TransactionOutcome first = result(connection.send(message("a@relay.test", body.toString(), "b@mx.test")));
                TransactionOutcome second = result(connection.send(message("a@relay.test", "Subject: two\r\n\r\nsecond\r\n",
                        "c@mx.test")));

                assertThat(outcomes(concluded(first)).getFirst()).isInstanceOf(Outcome.Delivered.class);
                assertThat(outcomes(concluded(second)).getFirst()).isInstanceOf(Outcome.Delivered.class);
                assertThat(first.session().tls().orElseThrow().verified()).isTrue();
            } finally {
                connection.close();
            }
            List<ReceivedMessage> received = mx.awaitMessages(2, ClientFixture.WAIT);
            assertThat(received.getFirst().bodyText()).isEqualTo(body.toString());
            assertThat(received.getFirst().tls()).isTrue();
            assertThat(received.get(1).recipients()).containsExactly("c@mx.test");
            assertThat(mx.connectionCount()).isEqualTo(1);
        }
    }
}
