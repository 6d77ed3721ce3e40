package dev.relay.smtp.client;

import static dev.relay.delivery.testkit.TestMessages.message;
import static dev.relay.smtp.client.ClientFixture.CA;
import static dev.relay.smtp.client.ClientFixture.destination;
import static dev.relay.smtp.client.ClientFixture.failed;
import static dev.relay.smtp.client.ClientFixture.outcomes;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.TestMx.Verb;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.outcome.Cause;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import dev.relay.testkit.RepeatedLines;
import dev.relay.tls.TlsRequirement;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Drops, stalls and broken handshakes: each fails the attempt, temporarily, with the stage named. */
class MisbehavingServerTest {

    private static final Duration TINY = Duration.ofMillis(300);

    private static TransactionOutcome.Failed deliverExpectingFailure(TestMx mx, ClientTimeouts timeouts, OutboundMessage message) {
        try (SmtpClient client = ClientFixture.client(SslProvider.JDK, timeouts)) {
            return failed(result(client.deliver(destination("mx.test", mx.address(), TlsRequirement.OPPORTUNISTIC), message)));
        }
    }

    private static ClientTimeouts tinyAt(Stage stage) {
        return ClientTimeouts.uniform(ClientFixture.WAIT).with(stage, TINY);
    }

    /** A body of about {@code size} bytes, made up as it is read. */
    private static OutboundMessage endless(long size, String... recipients) {
        byte[] line = "0123456789 a line of a long body that is generated on the fly, never held\r\n".getBytes(StandardCharsets.US_ASCII);
        return new OutboundMessage("a@relay.test", List.of(recipients).stream().map(RecipientAddress::of).toList(),
                MailParameters.NONE, size, () -> new RepeatedLines(line, size));
    }

    @Test
    void silentGreetingTimesOut() {
        try (TestMx mx = TestMx.builder().stallAt(Verb.GREETING).start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, tinyAt(Stage.GREETING), message("a@relay.test", "hi\r\n", "b@mx.test"));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.TimedOut(Stage.GREETING));
            assertThat(outcomes(outcome)).containsExactly(TestOutcomes.deferred("451 4.4.2 conversation with mx.test[127.0.0.1]:"
                    + mx.port() + " timed out while receiving the initial server greeting", Cause.TIMED_OUT));
        }
    }

    @Test
    void silenceAfterMailTimesOut() {
        try (TestMx mx = TestMx.builder().stallAt(Verb.MAIL).start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, tinyAt(Stage.MAIL), message("a@relay.test", "hi\r\n", "b@mx.test", "c@mx.test"));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.TimedOut(Stage.MAIL));
            assertThat(outcomes(outcome)).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(Outcome.Deferred.class));
        }
    }

    @Test
    void pipelinedSilenceIsBlamedOnTheReplyAwaited() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").stallAt(Verb.RCPT).start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, tinyAt(Stage.RCPT), message("a@relay.test", "hi\r\n", "b@mx.test"));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.TimedOut(Stage.RCPT));
        }
    }

    @Test
    void silenceAfterTheEndOfDataTimesOut() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").stallAt(Verb.DATA_END).start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, tinyAt(Stage.DATA_END), message("a@relay.test", "hi\r\n", "b@mx.test"));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.TimedOut(Stage.DATA_END));
            assertThat(mx.messages()).isEmpty();
        }
    }

    @Test
    void bodyThatStopsMovingTimesOut() {
        try (TestMx mx = TestMx.builder().stopReadingDuringData().start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, tinyAt(Stage.BODY), endless(1L << 30, "b@mx.test"));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.TimedOut(Stage.BODY));
        }
    }

    @Test
    void dropInTheMiddleOfDataDefersTheOpenRecipientsAndKeepsRefusals() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").reply(Verb.RCPT, "gone@", "550 5.1.1 gone")
                .dropDuringData(64 * 1024).start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, ClientTimeouts.uniform(ClientFixture.WAIT),
                    endless(64L << 20, "b@mx.test", "gone@mx.test"));

            assertThat(outcome.failure()).isInstanceOf(ConnectionFailure.ConnectionLost.class);
            assertThat(outcome.failure().stage()).isIn(Stage.BODY, Stage.DATA_END);
            assertThat(outcomes(outcome).getFirst()).isInstanceOf(Outcome.Deferred.class);
            assertThat(outcomes(outcome).getFirst().reply().line()).startsWith("451 4.4.2 lost connection with mx.test[127.0.0.1]:");
            assertThat(outcomes(outcome).getFirst().remoteMta()).as("the connection broke: the relay's finding").isEmpty();
            assertThat(outcomes(outcome).get(1)).isEqualTo(TestOutcomes.fromServer("550 5.1.1 gone",
                    Source.remote("mx.test", Optional.of("127.0.0.1"))));
            assertThat(mx.messages()).isEmpty();
        }
    }

    @Test
    void serverThatGrantsStarttlsButNeverSpeaksTlsFailsTheHandshake() {
        try (TestMx mx = TestMx.builder().starttls(CA.issue("mx.test")).reply(Verb.STARTTLS, "220 2.0.0 go ahead (but I will not)").start()) {
            TransactionOutcome.Failed outcome = deliverExpectingFailure(mx, tinyAt(Stage.TLS_HANDSHAKE), message("a@relay.test", "hi\r\n", "b@mx.test"));

            assertThat(outcome.failure().stage()).isEqualTo(Stage.TLS_HANDSHAKE);
            assertThat(mx.commands("MAIL")).isEmpty();
        }
    }
}
