package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMTP smuggling on the session layer: a fake end-of-data made of bare CR or LF must neither end
 * the data nor let the bytes after it run as commands; the message is refused, not queued.
 */
class SmugglingTest {

    private static final String ENVELOPE = "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n";
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

    /** How the client's bytes reach the listener. */
    enum Reads {
        /** The envelope in one read, the message in the next. */
        ENVELOPE_THEN_MESSAGE,
        /** Every byte in a read of its own. */
        BYTE_BY_BYTE;

        List<String> of(String message) {
            return switch (this) {
                case ENVELOPE_THEN_MESSAGE -> List.of(ENVELOPE, message);
                case BYTE_BY_BYTE -> (ENVELOPE + message).chars().mapToObj(c -> String.valueOf((char) c)).toList();
            };
        }
    }

    static Stream<Arguments> attacks() {
        return fakeTerminators().flatMap(terminator -> Stream.of(Reads.values())
                .map(reads -> Arguments.of(terminator.get()[0], terminator.get()[1], reads)));
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("attacks")
    void fakeTerminatorDoesNotEndDataNorSmuggleCommands(String name, String fakeTerminator, Reads reads) {
        SmtpFixture fixture = SmtpFixture.defaults();
        SessionHarness session = fixture.greeted();
        reads.of(attack(fakeTerminator)).forEach(session::send);
        assertThat(session.replies()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                "354 End data with <CR><LF>.<CR><LF>",
                "554 5.6.0 Message contains bare CR or bare LF, not accepted", "250 2.0.0 Ok");
        fixture.queue.assertNothingQueued();
        session.assertDrained();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotStuffing")
    void legitimateDotsAreUnstuffed(String sent, String stored) {
        CapturingQueue.Accepted message = SmtpFixture.defaults()
                .queuedAfter(ENVELOPE + sent + ".\r\n");
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
