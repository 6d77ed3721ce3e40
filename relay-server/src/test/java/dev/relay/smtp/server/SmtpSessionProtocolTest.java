package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * The protocol state machine alone: commands in, replies and requests to the connection out
 * ({@link RecordingIo}), no channel and no socket. Ordering rules that the pipeline tests can
 * only observe from outside (the hop back after a commit or a password check, holds, what is
 * dropped before TLS) are asserted here action by action.
 */
class SmtpSessionProtocolTest {
    private static final InetAddress CLIENT = address("192.0.2.10");
    private static final InetAddress LOCAL = address("192.0.2.1");
    private static final String CONTENT = "Subject: hello\r\n\r\nline one\r\n";
    private static final String QUEUED = "write 250 Ok: queued as T0000001";

    private final RecordingIo io = new RecordingIo();
    private final Queue<Runnable> blocking = new ArrayDeque<>();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private SmtpSession connect(SmtpFixture fixture) {
        return connect(fixture, io);
    }

    private SmtpSession connect(SmtpFixture fixture, RecordingIo on) {
        SmtpSession session = new SmtpSession(fixture.services(blocking::add), on);
        session.connected(CLIENT, "192.0.2.10", LOCAL);
        return session;
    }

    private static void line(SmtpSession session, String text) {
        session.input(new SmtpInput.CommandLine(text));
    }

    /** EHLO, MAIL and RCPT; what they asked for is taken. */
    private void openTransaction(SmtpSession session) {
        line(session, "EHLO client.example");
        line(session, "MAIL FROM:<sender@example.org>");
        line(session, "RCPT TO:<rcpt@example.com>");
        io.take();
    }

    /** A transaction, DATA and the content, up to and including the end of data. */
    private void sendMessage(SmtpSession session) {
        openTransaction(session);
        line(session, "DATA");
        session.input(new SmtpInput.BodyChunk(CONTENT.getBytes(StandardCharsets.US_ASCII)));
        io.take();
        session.input(new SmtpInput.BodyEnd());
    }

    /** STARTTLS, the handshake, EHLO again; what they asked for is taken. */
    private void upgrade(SmtpSession session) {
        line(session, "STARTTLS");
        session.tlsEstablished("TLSv1.3 TLS_AES_128_GCM_SHA256");
        line(session, "EHLO client.example");
        io.take();
    }

    /** A session whose message waits for a commit that the test releases. */
    private SmtpSession awaitingCommit(SmtpFixture fixture) {
        fixture.queue.commitMode(CapturingQueue.CommitMode.HOLD);
        SmtpSession session = connect(fixture);
        sendMessage(session);
        io.take();
        return session;
    }

    private static String plainCredentials() {
        return Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetsOnConnectAndAwaitsACommand() {
        SmtpFixture fixture = SmtpFixture.defaults();
        connect(fixture);
        assertThat(io.take()).containsExactly("await command", "write and flush 220 relay.test ESMTP ready");
        assertThat(fixture.events.all()).hasSize(2).allMatch(e -> e.startsWith("opened ") || e.startsWith("session "));
    }

    @Test
    void aTransactionMovesFromCommandsToContentAndBack() {
        SmtpSession session = connect(SmtpFixture.defaults());
        io.take();
        line(session, "EHLO client.example");
        assertThat(io.take()).containsExactly("await command", "write 250 relay.test|PIPELINING|SIZE 1048576|8BITMIME"
                + "|SMTPUTF8|ENHANCEDSTATUSCODES|DSN|CHUNKING|BINARYMIME");
        line(session, "MAIL FROM:<sender@example.org>");
        line(session, "RCPT TO:<rcpt@example.com>");
        line(session, "DATA");
        assertThat(io.take()).containsExactly(
                "await command", "write 250 Sender ok",
                "await command", "write 250 Recipient ok",
                "await command", "write 354 End data with <CR><LF>.<CR><LF>", "expect data", "await content");
        session.input(new SmtpInput.BodyChunk(CONTENT.getBytes(StandardCharsets.US_ASCII)));
        assertThat(io.take()).containsExactly("received " + CONTENT.length());
    }

    @Test
    void theMessageReplyWaitsForTheHopBackEvenWhenTheCommitIsAlreadyDone() {
        SmtpFixture fixture = SmtpFixture.defaults(); // the capturing queue commits at once
        SmtpSession session = connect(fixture);
        sendMessage(session);

        assertThat(fixture.queue.only().envelope().recipients()).hasSize(1);
        assertThat(io.take()).containsExactly("await command", "hold COMMITTING");
        assertThat(io.runLater()).isOne();
        assertThat(io.take()).containsExactly(QUEUED, "await command", "release COMMITTING");
        assertThat(fixture.events.all()).anyMatch(e -> e.startsWith("accepted "));
    }

    @Test
    void aFailedCommitIsATemporaryErrorAndTheSessionGoesOn() {
        SmtpFixture fixture = SmtpFixture.defaults().commits(CapturingQueue.CommitMode.FAIL);
        SmtpSession session = connect(fixture);
        sendMessage(session);
        io.runLater();
        assertThat(io.take()).containsSubsequence(
                "write 451 Local error in processing, message not queued", "release COMMITTING");
        line(session, "NOOP");
        assertThat(io.take()).containsExactly("await command", "write 250 Ok");
        assertThat(fixture.queue.openDrafts()).isZero();
    }

    @Test
    void aClientGoneBeforeTheCommitCompletesGetsNoReply() {
        SmtpFixture fixture = SmtpFixture.defaults();
        SmtpSession session = awaitingCommit(fixture);
        session.disconnected();

        assertThat(fixture.queue.releaseHeldCommits()).isOne();
        assertThat(io.runLater()).isOne();
        assertThat(io.take()).isEmpty();
        assertThat(fixture.queue.only().envelope().sender()).isEqualTo("sender@example.org");
    }

    @Test
    void contentSentAheadOfARefusedDataEndsTheSession() {
        SmtpSession session = connect(SmtpFixture.defaults());
        line(session, "EHLO client.example");
        io.take();
        line(session, "DATA");
        assertThat(io.take()).containsExactly("await command", "write 503 Need MAIL command");

        io.buffered = 40;
        line(session, "DATA");
        assertThat(io.take()).containsExactly("await command", "discard 40", "close after 503 Need MAIL command");
        line(session, "NOOP");
        assertThat(io.take()).containsExactly("await command");
    }

    @Test
    void startTlsDropsWhatCameInClearAndIgnoresInputUntilTheHandshake() {
        SmtpSession session = connect(SmtpFixture.defaults().withTls());
        line(session, "EHLO client.example");
        io.take();
        io.buffered = 12;
        line(session, "STARTTLS");
        assertThat(io.take()).containsExactly("await command", "discard 12", "start tls after 220 Ready to start TLS");

        line(session, "MAIL FROM:<sender@example.org>");
        assertThat(io.take()).containsExactly("await command");

        session.tlsEstablished("TLSv1.3 TLS_AES_128_GCM_SHA256");
        assertThat(io.take()).containsExactly("await command");
        line(session, "MAIL FROM:<sender@example.org>");
        assertThat(io.take()).containsExactly("await command", "write 503 Send HELO/EHLO first");
        line(session, "EHLO client.example");
        assertThat(io.take()).last().asString().doesNotContain("STARTTLS").contains("|AUTH PLAIN LOGIN|");
    }

    @Test
    void anImplicitTlsListenerGreetsOnlyAfterTheHandshake() {
        SmtpSession session = connect(SmtpFixture.defaults().withTls().implicitTls());
        assertThat(io.take()).isEmpty();
        session.tlsEstablished("TLSv1.3 TLS_AES_128_GCM_SHA256");
        assertThat(io.take()).containsExactly("await command", "write and flush 220 relay.test ESMTP ready");
    }

    @Test
    void aFailedHandshakeClosesWithoutAWord() {
        SmtpSession session = connect(SmtpFixture.defaults().withTls().implicitTls());
        session.tlsFailed("no shared cipher");
        assertThat(io.take()).containsExactly("close");
    }

    @Test
    void thePasswordIsCheckedElsewhereAndTheReplyComesBackOnTheSessionThread() {
        SmtpSession session = connect(SmtpFixture.defaults().withTls());
        upgrade(session);
        String plain = plainCredentials();
        line(session, "AUTH PLAIN " + plain);
        assertThat(io.take()).containsExactly("await command", "hold AWAITING_RESULT");

        assertThat(blocking).hasSize(1);
        blocking.poll().run();
        assertThat(io.take()).isEmpty();
        assertThat(io.runLater()).isOne();
        assertThat(io.take()).containsExactly("write 235 Authentication successful", "await command",
                "release AWAITING_RESULT");
        line(session, "AUTH PLAIN " + plain);
        assertThat(io.take()).containsExactly("await command", "write 503 Already authenticated");
    }

    @Test
    void aPasswordCheckerThatCannotTakeWorkIsATemporaryFailure() {
        SmtpFixture fixture = SmtpFixture.defaults().withTls();
        SmtpSession session = new SmtpSession(fixture.services(task -> {
            throw new java.util.concurrent.RejectedExecutionException("busy");
        }), io);
        session.connected(CLIENT, "192.0.2.10", LOCAL);
        upgrade(session);
        line(session, "AUTH PLAIN " + plainCredentials());
        assertThat(io.take()).containsExactly("await command", "hold AWAITING_RESULT",
                "write 454 Temporary authentication failure", "await command", "release AWAITING_RESULT");
    }

    @Test
    void chunksAreCountedAndTheLastOneCommits() {
        SmtpFixture fixture = SmtpFixture.defaults();
        SmtpSession session = connect(fixture);
        openTransaction(session);
        line(session, "BDAT 6");
        assertThat(io.take()).containsExactly("await command", "expect chunk 6", "await content");
        session.input(new SmtpInput.BodyChunk("Hi\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        session.input(new SmtpInput.BodyEnd());
        assertThat(io.take()).containsExactly("received 6", "await command", "write 250 6 octets received");

        line(session, "BDAT 0 LAST");
        assertThat(io.take()).containsExactly("await command", "hold COMMITTING");
        io.runLater();
        assertThat(io.take()).startsWith(QUEUED);
        assertThat(fixture.queue.only().body()).isNotEmpty();
    }

    @Test
    void aDrainedSessionClosesWhenItsTransactionEnds() {
        SmtpSession session = connect(SmtpFixture.defaults());
        line(session, "EHLO client.example");
        line(session, "MAIL FROM:<sender@example.org>");
        io.take();
        session.drain();
        assertThat(io.take()).isEmpty();
        line(session, "RSET");
        assertThat(io.take()).containsExactly("await command", "write 250 Reset",
                "close after 421 Service shutting down, closing connection");
    }

    @Test
    void forceCloseLetsAPendingCommitAnswerFirst() {
        SmtpFixture fixture = SmtpFixture.defaults();
        SmtpSession session = awaitingCommit(fixture);

        session.forceClose();
        assertThat(io.take()).isEmpty();
        fixture.queue.releaseHeldCommits();
        io.runLater();
        assertThat(io.take()).containsExactly(QUEUED, "close after 421 Service shutting down, closing connection");
    }

    @Test
    void tooManyErrorsEndTheSession() {
        SmtpSession session = connect(SmtpFixture.defaults().maxErrors(2));
        io.take();
        line(session, "BOGUS");
        line(session, "BOGUS");
        assertThat(io.take()).containsExactly("await command", "write 500 Command unrecognized",
                "await command", "write 500 Command unrecognized", "close after 421 Too many errors, closing connection");
    }

    @Test
    void aFullHouseRefusesTheConnectionAndALeavingClientMakesRoom() {
        SmtpFixture fixture = SmtpFixture.defaults().exemptRelayNetworks(false).connections(1, 0);
        SmtpSession first = connect(fixture);
        RecordingIo second = new RecordingIo();
        connect(fixture, second);
        assertThat(second.take()).containsExactly("close after 421 Too many connections, try again later");

        first.disconnected();
        RecordingIo third = new RecordingIo();
        connect(fixture, third);
        assertThat(third.take()).contains("write and flush 220 relay.test ESMTP ready");
    }

    @Test
    void theDeadlineDecidesWhenItIsOnAndTheIdleTimerOtherwise() {
        SmtpSession session = connect(SmtpFixture.defaults());
        io.take();
        session.idle();
        assertThat(io.take()).isEmpty();
        session.deadlinePassed();
        assertThat(io.take()).containsExactly("close after 421 Timeout exceeded, closing connection");

        RecordingIo idleOnly = new RecordingIo();
        SmtpSession old = connect(SmtpFixture.defaults().idleTimeouts(), idleOnly);
        idleOnly.take();
        old.idle();
        assertThat(idleOnly.take()).containsExactly("close after 421 Timeout exceeded, closing connection");
    }

    @Test
    void slowContentHasItsOwnReply() {
        SmtpSession session = connect(SmtpFixture.defaults());
        openTransaction(session);
        line(session, "DATA");
        io.take();
        session.deadlinePassed();
        assertThat(io.take()).containsExactly("close after 421 Message content arrives too slowly, closing connection");
    }

    @Test
    void tlsEndedByTheClientDropsTheTransactionAndCloses() {
        SmtpFixture fixture = SmtpFixture.defaults().withTls().implicitTls();
        SmtpSession session = connect(fixture);
        session.tlsEstablished("TLSv1.3 TLS_AES_128_GCM_SHA256");
        openTransaction(session);
        line(session, "BDAT 100");
        session.input(new SmtpInput.BodyChunk("Subject: half".getBytes(StandardCharsets.US_ASCII)));
        io.take();
        session.tlsClosed();
        assertThat(io.take()).containsExactly("hold CLOSING", "close");
        assertThat(fixture.queue.openDrafts()).isZero();
        assertThat(fixture.queue.accepted()).isEmpty();
    }

    @Test
    void aForeignProtocolIsToldOffAndItsBytesDropped() {
        SmtpSession session = connect(SmtpFixture.defaults());
        io.take();
        io.buffered = 300;
        line(session, "GET / HTTP/1.1");
        assertThat(io.take()).containsExactly("await command", "discard 300",
                "close after 221 This is an SMTP server, not a web server or proxy; goodbye");
    }
}
