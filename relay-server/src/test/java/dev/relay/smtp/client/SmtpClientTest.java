package dev.relay.smtp.client;

import static dev.relay.delivery.testkit.TestMessages.message;
import static dev.relay.smtp.client.ClientFixture.concluded;
import static dev.relay.smtp.client.ClientFixture.destination;
import static dev.relay.smtp.client.ClientFixture.failed;
import static dev.relay.smtp.client.ClientFixture.outcomes;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMessages;
import dev.relay.delivery.testkit.TestMx.Command;
import dev.relay.delivery.testkit.TestMx.Verb;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.outcome.TestOutcomes;
import dev.relay.outcome.TlsFacts;
import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import dev.relay.tls.TlsRequirement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The SMTP conversation in plain text against {@link TestMx} on loopback. */
class SmtpClientTest {

    /** What every reply of the TestMx at "mx.test" carries: the host that said it. */
    private static final Optional<String> MX = Optional.of("mx.test");
    private static final Source MX_AT = Source.remote("mx.test", Optional.of("127.0.0.1"));

    @AutoClose
    private static final SmtpClient CLIENT = ClientFixture.client();

    private static TransactionOutcome deliver(TestMx mx, OutboundMessage message) {
        return result(CLIENT.deliver(destination("mx.test", mx.address(), TlsRequirement.OPPORTUNISTIC), message));
    }

    @Test
    void deliversInPlainTextWhenStarttlsIsNotOffered() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING", "8BITMIME").start()) {
            String body = TestMessages.text("plain", 3);
            TransactionOutcome outcome = deliver(mx, message("alice@relay.test", body, "bob@mx.test"));

            assertThat(outcomes(concluded(outcome))).containsExactly(TestOutcomes.fromServer("250 2.0.0 ok: queued as TESTMX1", MX_AT));
            assertThat(outcome.session().tls()).isEmpty();
            assertThat(outcome.session().connected()).isTrue();
            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.sender()).isEqualTo("alice@relay.test");
            assertThat(received.recipients()).containsExactly("bob@mx.test");
            assertThat(received.bodyText()).isEqualTo(body);
            assertThat(received.tls()).isFalse();
            assertThat(mx.commands("EHLO")).extracting(Command::line).containsExactly("EHLO relay.test");
            assertThat(mx.awaitCommands("QUIT", 1, ClientFixture.WAIT)).hasSize(1);
        }
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() {
        try (TestMx mx = TestMx.builder().reply(Verb.EHLO, "502 5.5.2 what is EHLO").start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test"));

            assertThat(outcomes(concluded(outcome)).getFirst()).isInstanceOf(Outcome.Delivered.class);
            assertThat(mx.commands()).extracting(Command::verb).startsWith("EHLO", "HELO", "MAIL", "RCPT", "DATA");
            assertThat(outcome.session().extensions()).isEqualTo(Extensions.NONE);
        }
    }

    @Test
    void pipelinesMailRcptAndDataInOneWriteWhenOffered() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").start()) {
            deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test", "c@mx.test"));

            List<Command> envelope = mx.commands().stream()
                    .filter(c -> List.of("MAIL", "RCPT", "DATA").contains(c.verb())).toList();
            assertThat(envelope).extracting(Command::verb).containsExactly("MAIL", "RCPT", "RCPT", "DATA");
            assertThat(envelope).extracting(Command::batch).containsOnly(envelope.getFirst().batch());
        }
    }

    @Test
    void goesLockStepWithoutPipelining() {
        try (TestMx mx = TestMx.builder().start()) {
            deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test", "c@mx.test"));

            List<Command> envelope = mx.commands().stream()
                    .filter(c -> List.of("MAIL", "RCPT", "DATA").contains(c.verb())).toList();
            assertThat(envelope).extracting(Command::verb).containsExactly("MAIL", "RCPT", "RCPT", "DATA");
            assertThat(envelope).extracting(Command::batch).doesNotHaveDuplicates();
        }
    }

    @Test
    void judgesEachRecipientByItsOwnReply() {
        for (boolean pipelining : new boolean[] {true, false}) {
            TestMx.Builder builder = TestMx.builder()
                    .reply(Verb.RCPT, "nobody@", "550 5.1.1 <nobody@mx.test>: no such user")
                    .reply(Verb.RCPT, "later@", "451 4.2.1 mailbox busy, try later");
            if (pipelining) {
                builder.extensions("PIPELINING");
            }
            try (TestMx mx = builder.start()) {
                TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n",
                        "ok@mx.test", "nobody@mx.test", "later@mx.test", "ok2@mx.test"));

                assertThat(outcomes(concluded(outcome))).as("pipelining=" + pipelining).containsExactly(
                        TestOutcomes.fromServer("250 2.0.0 ok: queued as TESTMX1", MX_AT),
                        TestOutcomes.fromServer("550 5.1.1 <nobody@mx.test>: no such user", MX_AT),
                        TestOutcomes.fromServer("451 4.2.1 mailbox busy, try later", MX_AT),
                        TestOutcomes.fromServer("250 2.0.0 ok: queued as TESTMX1", MX_AT));
                assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().recipients())
                        .containsExactly("ok@mx.test", "ok2@mx.test");
            }
        }
    }

    @Test
    void noDataWhenEveryRecipientIsRefused() {
        try (TestMx mx = TestMx.builder().reply(Verb.RCPT, "550 5.1.1 no such user").start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n", "x@mx.test", "y@mx.test"));

            assertThat(outcomes(concluded(outcome))).allSatisfy(r -> assertThat(r).isInstanceOf(Outcome.Failed.class));
            assertThat(mx.commands("DATA")).isEmpty();
        }
    }

    @Test
    void pipelinedDataAfterAllRecipientsRefusedIsAnsweredByTheServerAndNothingIsSent() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").reply(Verb.RCPT, "550 5.1.1 no such user").start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n", "x@mx.test"));

            assertThat(outcomes(concluded(outcome))).containsExactly(TestOutcomes.fromServer("550 5.1.1 no such user", MX_AT));
            assertThat(mx.commands("DATA")).hasSize(1); // answered 554 by the server
            assertThat(mx.messages()).isEmpty();
        }
    }

    @Test
    void mailRefusalAppliesToEveryRecipient() {
        try (TestMx mx = TestMx.builder().reply(Verb.MAIL, "451 4.3.0 try again later").start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test", "c@mx.test"));

            assertThat(outcomes(concluded(outcome))).containsExactly(
                    TestOutcomes.fromServer("451 4.3.0 try again later", MX_AT),
                    TestOutcomes.fromServer("451 4.3.0 try again later", MX_AT));
            assertThat(mx.commands("RCPT")).isEmpty();
        }
    }

    @Test
    void endOfDataReplyDecidesForTheAcceptedRecipients() {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING")
                .reply(Verb.RCPT, "gone@", "550 5.1.1 gone")
                .reply(Verb.DATA_END, "554-5.7.1 rejected as spam\r\n554 5.7.1 see https://mx.test/why").start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test", "gone@mx.test"));

            assertThat(outcomes(concluded(outcome))).containsExactly(
                    TestOutcomes.fromServer("554 5.7.1 rejected as spam see https://mx.test/why", MX_AT),
                    TestOutcomes.fromServer("550 5.1.1 gone", MX_AT));
        }
    }

    @Test
    void refusesEarlyWhenTheMessageExceedsTheRemoteSize() {
        try (TestMx mx = TestMx.builder().extensions("SIZE 100").start()) {
            OutboundMessage big = message("a@relay.test", "x".repeat(500) + "\r\n", "b@mx.test");
            TransactionOutcome outcome = deliver(mx, big);

            Outcome result = outcomes(concluded(outcome)).getFirst();
            assertThat(result).isInstanceOf(Outcome.Failed.class);
            assertThat(result.reply().line()).startsWith("552 5.3.4 message size 502 exceeds size limit 100");
            assertThat(result.remoteMta()).as("the relay decided, not the server").isEmpty();
            assertThat(mx.commands("MAIL")).isEmpty();
        }
    }

    @Test
    void declaresSizeWhenOfferedAndFitting() {
        try (TestMx mx = TestMx.builder().extensions("SIZE 1000").start()) {
            deliver(mx, message("a@relay.test", "hello\r\n", "b@mx.test"));

            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().mailParameters()).isEqualTo("SIZE=7");
        }
    }

    @Test
    void smtputf8MessageFailsWith567WhenTheServerLacksIt() {
        MailParameters utf8 = new MailParameters(OptionalLong.empty(), BodyType.EIGHT_BIT_MIME, true, Optional.empty(), Optional.empty());
        OutboundMessage message = message("jösé@relay.test", "hi\r\n".getBytes(StandardCharsets.UTF_8), utf8, "b@mx.test");
        try (TestMx mx = TestMx.builder().extensions("8BITMIME").start()) {
            Outcome result = outcomes(concluded(deliver(mx, message))).getFirst();

            assertThat(result).isInstanceOf(Outcome.Failed.class);
            assertThat(result.reply().line()).startsWith("553 5.6.7 SMTPUTF8 is required");
            assertThat(result.remoteMta()).as("the relay decided, not the server").isEmpty();
            assertThat(mx.commands("MAIL")).isEmpty();
        }
        try (TestMx mx = TestMx.builder().extensions("8BITMIME", "SMTPUTF8").start()) {
            assertThat(outcomes(concluded(deliver(mx, message))).getFirst()).isInstanceOf(Outcome.Delivered.class);
            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.sender()).isEqualTo("jösé@relay.test");
            assertThat(received.mailParameters()).isEqualTo("BODY=8BITMIME SMTPUTF8");
        }
    }

    @Test
    void dsnParametersTravelOnlyWhenTheServerOffersDsn() {
        MailParameters dsn = new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false,
                Optional.of(DsnReturn.HDRS), Optional.of("id+1=x"));
        RecipientAddress rcpt = new RecipientAddress("b@mx.test", Set.of(DsnNotify.FAILURE, DsnNotify.SUCCESS),
                Optional.of("rfc822;B@mx.test"));
        OutboundMessage message = message("a@relay.test", "hi\r\n".getBytes(StandardCharsets.US_ASCII), dsn, List.of(rcpt));
        try (TestMx mx = TestMx.builder().extensions("DSN").start()) {
            deliver(mx, message);

            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.mailParameters()).isEqualTo("RET=HDRS ENVID=id+2B1+3Dx");
            assertThat(received.rcptParameters()).containsExactly("NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;B@mx.test");
        }
        try (TestMx mx = TestMx.builder().start()) {
            deliver(mx, message);

            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.mailParameters()).isEmpty();
            assertThat(received.rcptParameters()).containsExactly("");
        }
    }

    @Test
    void eightBitBodyGoesAsItIsAndIsDeclaredOnlyWhereUnderstood() {
        MailParameters eightBit = new MailParameters(OptionalLong.empty(), BodyType.EIGHT_BIT_MIME, false, Optional.empty(), Optional.empty());
        byte[] body = "Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n".getBytes(StandardCharsets.UTF_8);
        try (TestMx mx = TestMx.builder().extensions("8BITMIME").start()) {
            deliver(mx, message("a@relay.test", body, eightBit, "b@mx.test"));
            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.mailParameters()).isEqualTo("BODY=8BITMIME");
            assertThat(received.body()).isEqualTo(body);
        }
        try (TestMx mx = TestMx.builder().start()) {
            deliver(mx, message("a@relay.test", body, eightBit, "b@mx.test"));
            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.mailParameters()).isEmpty();
            assertThat(received.body()).isEqualTo(body);
        }
    }

    @Test
    void binaryMimeGoesAsOneBdatChunkOrFailsWith563() {
        MailParameters binary = new MailParameters(OptionalLong.empty(), BodyType.BINARY_MIME, false, Optional.empty(), Optional.empty());
        byte[] body = new byte[70_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        body[0] = '.';
        OutboundMessage message = message("a@relay.test", body, binary, "b@mx.test");
        try (TestMx mx = TestMx.builder().extensions("8BITMIME").start()) {
            Outcome result = outcomes(concluded(deliver(mx, message))).getFirst();
            assertThat(result).isInstanceOf(Outcome.Failed.class);
            assertThat(result.reply().line()).startsWith("554 5.6.3 ");
        }
        try (TestMx mx = TestMx.builder().extensions("PIPELINING", "CHUNKING", "BINARYMIME").start()) {
            assertThat(outcomes(concluded(deliver(mx, message))).getFirst()).isInstanceOf(Outcome.Delivered.class);
            ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
            assertThat(received.mailParameters()).isEqualTo("BODY=BINARYMIME");
            assertThat(received.body()).isEqualTo(body);
            assertThat(mx.commands("BDAT")).extracting(Command::line).containsExactly("BDAT 70000 LAST");
            assertThat(mx.commands("DATA")).isEmpty();
        }
    }

    @Test
    void dotStuffingRoundTripsByteForByte() {
        String body = ".starts with a dot\r\n..two dots\r\n.\r\nmiddle . dot\r\n.\r\n. \r\nlast line without dot\r\n";
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").start()) {
            deliver(mx, message("a@relay.test", body, "b@mx.test"));

            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().bodyText()).isEqualTo(body);
        }
    }

    @Test
    void largeBodyIsStreamedIntact() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            body.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a body longer than one chunk\r\n");
        }
        try (TestMx mx = TestMx.builder().extensions("PIPELINING", "SIZE 100000000").start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", body.toString(), "b@mx.test"));

            assertThat(outcomes(concluded(outcome)).getFirst()).isInstanceOf(Outcome.Delivered.class);
            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().bodyText()).isEqualTo(body.toString());
        }
    }

    @Test
    void bodyWithoutFinalLineEndGetsOne() {
        try (TestMx mx = TestMx.builder().start()) {
            deliver(mx, message("a@relay.test", "no line end", "b@mx.test"));

            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().bodyText()).isEqualTo("no line end\r\n");
        }
    }

    @Test
    void nullSenderIsSentAsEmptyPath() {
        try (TestMx mx = TestMx.builder().start()) {
            deliver(mx, message("", "bounce\r\n", "b@mx.test"));

            assertThat(mx.commands("MAIL")).extracting(Command::line).containsExactly("MAIL FROM:<>");
        }
    }

    @Test
    void greetingRefusalsFailTheConnection() {
        try (TestMx mx = TestMx.builder().greeting("421 4.3.2 too busy").start()) {
            TransactionOutcome.Failed outcome = failed(deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test")));

            assertThat(outcome.failure()).isInstanceOf(ConnectionFailure.Rejected.class);
            assertThat(outcome.failure().stage()).isEqualTo(Stage.GREETING);
            assertThat(outcomes(outcome).getFirst()).isEqualTo(new Outcome.Deferred(TestOutcomes.reply(
                    "451 4.3.2 host mx.test[127.0.0.1]:" + mx.port() + " refused to talk to me: 421 4.3.2 too busy"),
                    MX_AT, TlsFacts.none(), Cause.SESSION_REFUSED));
        }
        try (TestMx mx = TestMx.builder().greeting("554 5.7.1 no mail from you").start()) {
            TransactionOutcome.Failed outcome = failed(deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test")));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.Rejected(Stage.GREETING,
                    SmtpReply.of(554, List.of("5.7.1 no mail from you"))));
            assertThat(outcomes(outcome).getFirst().reply().status()).isEqualTo(new EnhancedStatus(4, 7, 1));
            assertThat(mx.awaitCommands("QUIT", 1, ClientFixture.WAIT)).hasSize(1); // polite to the end
        }
    }

    @Test
    void refusedConnectionIsAConnectFailure() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        TransactionOutcome outcome = result(CLIENT.deliver(destination("mx.test", closed, TlsRequirement.OPPORTUNISTIC),
                message("a@relay.test", "hi\r\n", "b@mx.test")));

        TransactionOutcome.Failed failed = failed(outcome);
        assertThat(failed.failure()).isInstanceOf(ConnectionFailure.ConnectFailed.class);
        assertThat(failed.session().connected()).isFalse();
        assertThat(outcomes(failed).getFirst().reply().line()).startsWith("451 4.4.1 connect to mx.test[127.0.0.1]:" + closed.getPort() + ": ");
        assertThat(outcomes(failed).getFirst().remoteMta()).as("no server answered").isEmpty();
    }

    @Test
    void unreadableBodyIsATemporaryLocalFailureAndNothingIsSent() {
        OutboundMessage broken = new OutboundMessage("a@relay.test", List.of(RecipientAddress.of("b@mx.test")),
                MailParameters.NONE, 10, () -> {
                    throw new IOException("spool segment missing");
                });
        try (TestMx mx = TestMx.builder().start()) {
            Outcome result = outcomes(concluded(deliver(mx, broken))).getFirst();

            assertThat(result).isEqualTo(TestOutcomes.deferred("451 4.3.0 cannot read the queued message: spool segment missing",
                    Cause.LOCAL_ERROR));
            assertThat(mx.commands("MAIL")).isEmpty();
        }
    }

    @Test
    void bodyFailingMidwayDefersAndAbandonsTheConnection() {
        byte[] start = "Subject: x\r\n\r\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        OutboundMessage breaking = new OutboundMessage("a@relay.test", List.of(RecipientAddress.of("b@mx.test")),
                MailParameters.NONE, start.length * 2L, () -> new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream(start), new java.io.InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new IOException("disk error");
                            }
                        }));
        try (TestMx mx = TestMx.builder().start()) {
            TransactionOutcome.Failed outcome = failed(deliver(mx, breaking));

            assertThat(outcome.failure()).isInstanceOf(ConnectionFailure.LocalError.class);
            assertThat(outcomes(outcome).getFirst()).isInstanceOf(Outcome.Deferred.class);
            assertThat(mx.messages()).isEmpty();
        }
    }

    @Test
    void addressThatCouldSmuggleACommandIsNeverSent() {
        try (TestMx mx = TestMx.builder().start()) {
            TransactionOutcome outcome = deliver(mx, message("a@relay.test", "hi\r\n", "b@mx.test>\r\nRSET", "c@mx.test"));

            assertThat(outcomes(concluded(outcome)).getFirst()).isInstanceOf(Outcome.Failed.class);
            assertThat(outcomes(concluded(outcome)).get(1)).isInstanceOf(Outcome.Delivered.class);
            assertThat(mx.commands("RSET")).isEmpty();
        }
    }
}
