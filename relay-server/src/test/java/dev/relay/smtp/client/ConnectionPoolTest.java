package dev.relay.smtp.client;

import static dev.relay.delivery.testkit.TestMessages.message;
import static dev.relay.smtp.client.ClientFixture.concluded;
import static dev.relay.smtp.client.ClientFixture.destination;
import static dev.relay.smtp.client.ClientFixture.failed;
import static dev.relay.smtp.client.ClientFixture.outcomes;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.TestMx.Command;
import dev.relay.delivery.testkit.TestMx.Verb;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.outcome.Outcome;
import dev.relay.tls.TlsRequirement;
import dev.relay.tls.testkit.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Connection reuse, limits and idle closing. */
class ConnectionPoolTest {

    private static final TestCertificates.Issued CERTIFICATE = ClientFixture.CA.issue("mx.test");
    @AutoClose
    private static final SmtpClient CLIENT = ClientFixture.client();

    private static ConnectionPool pool(int perDestination, int perConnection, Duration idle) {
        return new ConnectionPool(CLIENT, new ConnectionPool.Settings(perDestination, perConnection, idle));
    }

    private static TransactionOutcome deliver(ConnectionPool pool, TestMx mx, String recipient) {
        return deliver(pool, mx, recipient, TlsRequirement.OPPORTUNISTIC);
    }

    private static TransactionOutcome deliver(ConnectionPool pool, TestMx mx, String recipient, TlsRequirement tls) {
        return result(pool.deliver(destination("mx.test", mx.address(), tls),
                message("a@relay.test", "Subject: " + recipient + "\r\n\r\nhi\r\n", recipient)));
    }

    @Test
    void secondMessageTakesTheSameConnectionAfterRset() {
        try (TestMx mx = TestMx.builder().starttls(CERTIFICATE).extensions("PIPELINING").start();
                ConnectionPool pool = pool(5, 10, Duration.ofSeconds(30))) {
            TransactionOutcome first = deliver(pool, mx, "one@mx.test", TlsRequirement.REQUIRED_VERIFIED);
            TransactionOutcome second = deliver(pool, mx, "two@mx.test", TlsRequirement.REQUIRED_VERIFIED);

            assertThat(outcomes(concluded(first)).getFirst()).isInstanceOf(Outcome.Delivered.class);
            assertThat(outcomes(concluded(second)).getFirst()).isInstanceOf(Outcome.Delivered.class);
            assertThat(mx.connectionCount()).isEqualTo(1);
            assertThat(mx.tlsSessions()).hasSize(1);
            assertThat(first.session().connectionUse()).isEqualTo(1);
            assertThat(second.session().connectionUse()).isEqualTo(2);
            assertThat(mx.commands()).extracting(Command::verb)
                    .containsSubsequence("MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA");
            assertThat(mx.awaitMessages(2, ClientFixture.WAIT)).extracting(m -> m.recipients().getFirst())
                    .containsExactly("one@mx.test", "two@mx.test");
        }
    }

    @Test
    void connectionIsQuitAfterItsMessageLimit() {
        try (TestMx mx = TestMx.builder().start(); ConnectionPool pool = pool(5, 2, Duration.ofSeconds(30))) {
            for (int i = 0; i < 3; i++) {
                assertThat(outcomes(concluded(deliver(pool, mx, "r" + i + "@mx.test"))).getFirst())
                        .isInstanceOf(Outcome.Delivered.class);
            }

            assertThat(mx.connectionCount()).isEqualTo(2);
            assertThat(mx.awaitCommands("QUIT", 1, ClientFixture.WAIT)).extracting(Command::connection).containsExactly(1);
        }
    }

    @Test
    void idleConnectionIsQuitAfterTheIdleTimeout() {
        try (TestMx mx = TestMx.builder().start(); ConnectionPool pool = pool(5, 10, Duration.ofMillis(100))) {
            deliver(pool, mx, "r@mx.test");

            assertThat(mx.awaitCommands("QUIT", 1, ClientFixture.WAIT)).hasSize(1);
        }
    }

    @Test
    void capHoldsConcurrentDeliveriesToOneConnection() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").start(); ConnectionPool pool = pool(1, 100, Duration.ofSeconds(30))) {
            List<CompletableFuture<TransactionOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                outcomes.add(pool.deliver(destination("mx.test", mx.address(), TlsRequirement.OPPORTUNISTIC),
                        message("a@relay.test", "hi\r\n", "r" + i + "@mx.test")));
            }

            for (CompletableFuture<TransactionOutcome> outcome : outcomes) {
                assertThat(outcomes(concluded(result(outcome))).getFirst()).isInstanceOf(Outcome.Delivered.class);
            }
            assertThat(mx.connectionCount()).isEqualTo(1);
            assertThat(mx.messages()).hasSize(6);
        }
    }

    @Test
    void withPipeliningTheRsetGoesOutInTheNextMessagesWrite() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").start();
                ConnectionPool pool = pool(5, 10, Duration.ofSeconds(30))) {
            deliver(pool, mx, "one@mx.test");
            assertThat(mx.commands("RSET")).as("no round trip of its own after the first message").isEmpty();

            deliver(pool, mx, "two@mx.test");

            List<Command> commands = mx.commands();
            assertThat(commands).extracting(Command::verb).containsSubsequence("DATA", "RSET", "MAIL", "RCPT", "DATA");
            Command rset = mx.commands("RSET").getFirst();
            assertThat(commands.stream().filter(c -> c.batch() == rset.batch()).map(Command::verb))
                    .containsExactly("RSET", "MAIL", "RCPT", "DATA");
            assertThat(mx.connectionCount()).isEqualTo(1);
            assertThat(mx.awaitMessages(2, ClientFixture.WAIT)).hasSize(2);
        }
    }

    @Test
    void withoutPipeliningTheRsetHasItsOwnRoundTrip() {
        try (TestMx mx = TestMx.builder().start(); ConnectionPool pool = pool(5, 10, Duration.ofSeconds(30))) {
            deliver(pool, mx, "one@mx.test");

            assertThat(mx.awaitCommands("RSET", 1, ClientFixture.WAIT)).hasSize(1);
            deliver(pool, mx, "two@mx.test");
            Command rset = mx.commands("RSET").getFirst();
            assertThat(mx.commands().stream().filter(c -> c.batch() == rset.batch()).map(Command::verb))
                    .containsExactly("RSET");
        }
    }

    @Test
    void aRefusedPipelinedRsetSendsTheMessageOverANewConnection() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").reply(Verb.RSET, "502 5.5.1 RSET not today").start();
                ConnectionPool pool = pool(5, 10, Duration.ofSeconds(30))) {
            deliver(pool, mx, "one@mx.test");

            TransactionOutcome second = deliver(pool, mx, "two@mx.test");

            assertThat(outcomes(concluded(second)).getFirst()).isInstanceOf(Outcome.Delivered.class);
            assertThat(mx.connectionCount()).isEqualTo(2);
            assertThat(mx.awaitMessages(2, ClientFixture.WAIT)).extracting(m -> m.recipients().getFirst())
                    .containsExactly("one@mx.test", "two@mx.test");
        }
    }

    @Test
    void connectionDroppedWhileIdleIsReplacedWithoutFailingTheMessage() {
        try (TestMx mx = TestMx.builder().start(); ConnectionPool pool = pool(5, 10, Duration.ofSeconds(30))) {
            deliver(pool, mx, "one@mx.test");
            mx.awaitCommands("RSET", 1, ClientFixture.WAIT);
            mx.dropConnections();

            TransactionOutcome second = deliver(pool, mx, "two@mx.test");

            assertThat(outcomes(concluded(second)).getFirst()).isInstanceOf(Outcome.Delivered.class);
            assertThat(mx.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void closingThePoolQuitsIdleConnections() {
        try (TestMx mx = TestMx.builder().start()) {
            ConnectionPool pool = pool(5, 10, Duration.ofSeconds(30));
            deliver(pool, mx, "one@mx.test");
            mx.awaitCommands("RSET", 1, ClientFixture.WAIT);

            pool.close();

            assertThat(mx.awaitCommands("QUIT", 1, ClientFixture.WAIT)).hasSize(1);
            TransactionOutcome after = deliver(pool, mx, "two@mx.test");
            assertThat(failed(after).failure()).isInstanceOf(ConnectionFailure.LocalError.class);
        }
    }

    @Test
    void connectFailureIsAnOutcomeAndFreesTheSlot() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        try (ConnectionPool pool = pool(1, 10, Duration.ofSeconds(30))) {
            for (int i = 0; i < 2; i++) {
                TransactionOutcome outcome = result(pool.deliver(destination("mx.test", closed, TlsRequirement.OPPORTUNISTIC),
                        message("a@relay.test", "hi\r\n", "b@mx.test")));
                assertThat(failed(outcome).failure()).isInstanceOf(ConnectionFailure.ConnectFailed.class);
            }
            assertThat(pool.openConnections()).isZero();
        }
    }
}
