package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.BodyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BDAT (RFC 3030 CHUNKING, BINARYMIME) on the session layer. */
class ChunkingTest {

    /** A new one for each test (JUnit makes a new instance per test). */
    private final SmtpFixture fixture = SmtpFixture.defaults();

    @Test
    void chunksMakeOneMessage() {
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 12\r\nSubject: x\r\n");
        session.send("BDAT 9 LAST\r\n\r\nbody\r\n.");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "250 2.0.0 12 octets received", "250 2.0.0 Ok: queued as T0000001");
        // no dot-stuffing in BDAT, and a missing final CRLF is added
        assertThat(fixture.queue.only().content()).isEqualTo("Subject: x\r\n\r\nbody\r\n.\r\n");
        session.assertDrained();
    }

    @Test
    void chunkSplitAnywhere() {
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 10 LAST\r\n01234");
        session.send("567");
        session.send("89NOOP\r");
        session.send("\n");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "250 2.0.0 Ok: queued as T0000001", "250 2.0.0 Ok");
        assertThat(fixture.queue.only().content()).isEqualTo("0123456789\r\n");
        session.assertDrained();
    }

    @Test
    void emptyLastChunk() {
        CapturingQueue.Accepted message =
                fixture.queuedAfter("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 3\r\nx\r\nBDAT 0 LAST\r\n");
        assertThat(message.content()).isEqualTo("x\r\n");
    }

    @Test
    void refusedBdatStillConsumesItsOctets() {
        SessionHarness session = fixture.greeted();
        session.send("BDAT 6\r\nNOOP\r\nNOOP\r\n");
        assertThat(session.replies()).containsExactly("503 5.5.1 Need MAIL command", "250 2.0.0 Ok");
        session.send("MAIL FROM:<a@example.org>\r\nBDAT 6 LAST\r\nRSET\r\nNOOP\r\n");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "554 5.5.1 No valid recipients",
                "250 2.0.0 Ok");
        session.assertDrained();
    }

    @Test
    void bareLineBreakInAChunkFailsTheTransactionAndLaterChunksAreDropped() {
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 4\r\na\nb\r"
                + "BDAT 3 LAST\r\nxyzNOOP\r\n");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "554 5.6.0 Message contains bare CR or bare LF, not accepted", "503 5.5.1 Need MAIL command",
                "250 2.0.0 Ok");
        fixture.queue.assertNothingQueued();
        session.assertDrained();
    }

    @Test
    void sizeLimitAppliesAcrossChunks() {
        SessionHarness session = fixture.maxMessageSize(10).greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 6\r\n12345\n"
                .replace("12345\n", "1234\r\n") + "BDAT 6 LAST\r\n1234\r\n");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "250 2.0.0 6 octets received", "552 5.3.4 Message size exceeds fixed limit");
        assertThat(fixture.queue.accepted()).isEmpty();
        session.assertDrained();
    }

    @Test
    void dataAndBdatDoNotMix() {
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 3\r\nabcDATA\r\n");
        session.send("RCPT TO:<c@example.com>\r\n");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "250 2.0.0 3 octets received", "503 5.5.1 DATA not allowed after BDAT",
                "503 5.5.1 Bad sequence of commands");
        session.assertDrained();
    }

    @Test
    void binaryMimeNeedsBdatAndKeepsBytesAsTheyAre() {
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org> BODY=BINARYMIME\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        assertThat(session.replies()).last().isEqualTo("503 5.5.1 BODY=BINARYMIME requires BDAT");
        session.sendBytes(new byte[] {'B', 'D', 'A', 'T', ' ', '4', ' ', 'L', 'A', 'S', 'T', '\r', '\n', 0, '\n', '\r', 1});
        assertThat(session.reply()).startsWith("250 2.0.0 Ok: queued");
        CapturingQueue.Accepted message = fixture.queue.only();
        assertThat(message.envelope().parameters().body()).isEqualTo(BodyType.BINARY_MIME);
        byte[] raw = message.body();
        assertThat(java.util.Arrays.copyOfRange(raw, raw.length - 4, raw.length)).containsExactly(0, '\n', '\r', 1);
        session.assertDrained();
    }

    /** The size says where the chunk ends: when it cannot be read, nothing after it can be told apart, so the session ends. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BDAT", "BDAT x", "BDAT 5 FIRST", "BDAT -5", "BDAT 1234567890123456789", "BDAT 0x10 LAST"})
    void bdatWithAnUnreadableSizeEndsTheSession(String command) {
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n" + command
                + "\r\nMAIL FROM:<evil@example.org>\r\n");
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "501 5.5.4 Syntax: BDAT size [LAST]; closing connection");
        assertThat(session.isOpen()).isFalse();
        assertThat(fixture.queue.openDrafts()).isZero();
    }
}
