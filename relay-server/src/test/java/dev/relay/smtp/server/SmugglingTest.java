package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMTP smuggling on the session layer: a fake end-of-data made of bare CR or LF must neither end
 * the data nor let the bytes after it run as commands; the message is refused, not queued.
 */
class SmugglingTest {

    static final String SMUGGLED = "MAIL FROM:<ceo@example.org>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nsmuggled body\r\n";

    static Stream<Arguments> fakeTerminators() {
        return Stream.of(
                Arguments.of("LF.LF", "\n.\n"),
                Arguments.of("LF.CRLF", "\n.\r\n"),
                Arguments.of("CR.CR", "\r.\r"),
                Arguments.of("CR.CRLF", "\r.\r\n"),
                Arguments.of("CRLF.LF", "\r\n.\n"),
                Arguments.of("CRLF.CR", "\r\n.\r"),
                Arguments.of("CRLF.CR-CRLF", "\r\n.\r\r\n"),
                Arguments.of("LF.CR", "\n.\r"),
                Arguments.of("CR.LF", "\r.\n"),
                Arguments.of("LF-CRLF.LF", "\n\r\n.\n"),
                Arguments.of("bare LF line", "\nplain\n"));
    }

    /** What a client sends: a harmless message with the fake terminator, then another message. */
    static String attack(String fakeTerminator) {
        return "Subject: innocent\r\n\r\nhello" + fakeTerminator + SMUGGLED + ".\r\nNOOP\r\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fakeTerminators")
    void fakeTerminatorDoesNotEndDataNorSmuggleCommands(String name, String fakeTerminator) {
        SmtpFixture fixture = SmtpFixture.defaults();
        SessionHarness session = fixture.greeted();
        session.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        assertThat(session.replies()).hasSize(3);
        session.send(attack(fakeTerminator));
        assertThat(session.replies()).containsExactly(
                "554 5.6.0 Message contains bare CR or bare LF, not accepted", "250 2.0.0 Ok");
        fixture.queue.assertNothingQueued();
        session.assertDrained();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fakeTerminators")
    void sameWhenTheBytesArriveOneByOne(String name, String fakeTerminator) {
        SmtpFixture fixture = SmtpFixture.defaults();
        SessionHarness session = fixture.greeted();
        String all = "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n" + attack(fakeTerminator);
        for (char c : all.toCharArray()) {
            session.send(String.valueOf(c));
        }
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "354 End data with <CR><LF>.<CR><LF>",
                "554 5.6.0 Message contains bare CR or bare LF, not accepted", "250 2.0.0 Ok");
        assertThat(fixture.queue.accepted()).isEmpty();
        session.assertDrained();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotStuffing")
    void legitimateDotsAreUnstuffed(String sent, String stored) {
        CapturingQueue.Accepted message = SmtpFixture.defaults()
                .queuedAfter("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n" + sent + ".\r\n");
        assertThat(message.content()).isEqualTo(stored);
    }

    static Stream<Arguments> dotStuffing() {
        return Stream.of(
                Arguments.of("..\r\n", ".\r\n"),
                Arguments.of("...\r\n", "..\r\n"),
                Arguments.of(". \r\n", " \r\n"),
                Arguments.of("a.\r\n.b\r\n", "a.\r\nb\r\n"),
                Arguments.of("\r\n\r\n", "\r\n\r\n"),
                Arguments.of("x\r\n..\r\n.x\r\n", "x\r\n.\r\nx\r\n"));
    }
}
