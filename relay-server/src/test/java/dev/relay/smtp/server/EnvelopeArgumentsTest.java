package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.BodyType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MAIL/RCPT argument parsing: RFC 5321 paths and the ESMTP parameters. */
class EnvelopeArgumentsTest {

    private static String recipient(String argument) {
        return ParsedArguments.recipient(argument, false);
    }

    /** With a SIZE limit of 1000. */
    private static String sender(String argument) {
        return ParsedArguments.sender(argument, 1000);
    }

    static Stream<Arguments> validPaths() {
        return Stream.of(
                Arguments.of("TO:<user@example.com>", "user@example.com"),
                Arguments.of("to:<user@example.com>", "user@example.com"),
                Arguments.of("TO: <user@example.com>", "user@example.com"),
                Arguments.of("TO:<USER@EXAMPLE.COM>", "USER@EXAMPLE.COM"),
                Arguments.of("TO:<first.last+tag@sub.example.com>", "first.last+tag@sub.example.com"),
                Arguments.of("TO:<!#$%&'*+-/=?^_`{|}~@example.com>", "!#$%&'*+-/=?^_`{|}~@example.com"),
                Arguments.of("TO:<\"john doe\"@example.com>", "\"john doe\"@example.com"),
                Arguments.of("TO:<\"a\\\"b\"@example.com>", "\"a\\\"b\"@example.com"),
                Arguments.of("TO:<\"user@other\"@example.com>", "\"user@other\"@example.com"),
                Arguments.of("TO:<user%other@example.com>", "user%other@example.com"),
                Arguments.of("TO:<other!user@example.com>", "other!user@example.com"),
                Arguments.of("TO:<@a.example,@b.example:user@example.com>", "user@example.com"),
                Arguments.of("TO:<user@[192.0.2.1]>", "user@[192.0.2.1]"),
                Arguments.of("TO:<user@[IPv6:2001:db8::1]>", "user@[IPv6:2001:db8::1]"),
                Arguments.of("TO:<user@example.com.>", "user@example.com"),
                Arguments.of("TO:<user@xn--bcher-kva.example>", "user@xn--bcher-kva.example"),
                Arguments.of("TO:<a@b>", "a@b"),
                Arguments.of("TO:<user@example.com> NOTIFY=FAILURE", "user@example.com"),
                Arguments.of("TO:<user@example.com>  ORCPT=rfc822;user+40example.com", "user@example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPaths")
    void validRecipients(String argument, String address) {
        assertThat(recipient(argument)).isEqualTo("ok:" + address);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "TO:<user>", "TO:<user@>", "TO:<@example.com>", "TO:<user@@example.com>", "TO:<user@exa mple.com>",
        "TO:<.user@example.com>", "TO:<user.@example.com>", "TO:<us..er@example.com>",
        "TO:<user@-example.com>", "TO:<user@example-.com>", "TO:<user@example..com>", "TO:<user@.example.com>",
        "TO:<user@[192.0.2.999]>", "TO:<user@[192.0.2]>", "TO:<user@[IPv6:zz::1]>", "TO:<user@[tag:stuff]>",
        "TO:<\"unterminated@example.com>", "TO:<user@example.com", "TO:<>", "TO:<a\\b@example.com>",
        "TO:<@a.example:>", "TO:<@a.example user@example.com>", "TO:<user\u0001@example.com>", "TO:<\"a\u0007\"@example.com>"
    })
    void malformedRecipients(String argument) {
        assertThat(recipient(argument)).isEqualTo("501 5.1.3");
    }

    @Test
    void lengthLimits() {
        assertThat(recipient("TO:<" + "a".repeat(64) + "@example.com>")).startsWith("ok:");
        assertThat(recipient("TO:<" + "a".repeat(65) + "@example.com>")).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<a@" + "b".repeat(63) + ".example>")).startsWith("ok:");
        assertThat(recipient("TO:<a@" + "b".repeat(64) + ".example>")).isEqualTo("501 5.1.3");
        String longDomain = ("d".repeat(62) + ".").repeat(4) + "example.org";
        assertThat(longDomain.length()).isGreaterThan(255);
        assertThat(recipient("TO:<a@" + longDomain + ">")).isEqualTo("501 5.1.3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TO:user@example.com", "TO user@example.com", "<user@example.com>", "", "TO:",
        "TO:<user@example.com>x", "TO:<user@example.com.>."})
    void rcptWithoutPathSyntax(String argument) {
        assertThat(recipient(argument)).isEqualTo("501 5.5.4");
    }

    @Test
    void bareRecipientPostmasterIsRecognised() {
        EnvelopeArguments.RcptResult result = EnvelopeArguments.parseRcpt("TO:<Postmaster>", false);
        assertThat(result).isInstanceOfSatisfying(EnvelopeArguments.Recipient.class,
                r -> assertThat(r.mailbox().isBarePostmaster()).isTrue());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            FROM:<>                             | ok:
            FROM:<a@example.org>                | ok:a@example.org
            FROM:<@relay.example:a@example.org> | ok:a@example.org
            FROM:<a>                            | 501 5.1.7
            FROM:<Postmaster>                   | 501 5.1.7
            FROM:a@example.org                  | 501 5.5.4
            TO:<a@example.org>                  | 501 5.5.4
            """)
    void senders(String argument, String expected) {
        assertThat(sender(argument)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SIZE=1000                  | ok
            SIZE=1001                  | 552 5.3.4
            SIZE=99999999999999999999  | 552 5.3.4
            SIZE=999999999999999999999 | 501 5.5.4
            SIZE=                      | 501 5.5.4
            SIZE=-1                    | 501 5.5.4
            SIZE                       | 501 5.5.4
            BODY=7BIT                  | ok
            body=8bitmime              | ok
            BODY=BINARYMIME            | ok
            BODY=9BIT                  | 501 5.5.4
            SMTPUTF8                   | ok
            SMTPUTF8=yes               | 501 5.5.4
            RET=FULL                   | ok
            RET=HDRS                   | ok
            RET=SOME                   | 501 5.5.4
            ENVID=abc+2Bdef            | ok
            ENVID=abc+2                | 501 5.5.4
            ENVID=abc+ZZ               | 501 5.5.4
            AUTH=<>                    | ok
            AUTH=user+40example.org    | ok
            AUTH                       | 501 5.5.4
            SIZE=10 SIZE=10            | 501 5.5.4
            XFORWARD=1                 | 555 5.5.4
            NOTIFY=NEVER               | 555 5.5.4
            -BAD=1                     | 501 5.5.4
            KEY=a=b                    | 501 5.5.4
            """)
    void mailParameter(String parameter, String expected) {
        String result = sender("FROM:<a@example.org> " + parameter);
        assertThat(result).isEqualTo(expected.equals("ok") ? "ok:a@example.org" : expected);
    }

    @Test
    void binaryMimeOnlyWhenAllowed() {
        assertThat(EnvelopeArguments.parseMail("FROM:<a@example.org> BODY=BINARYMIME", 0, false))
                .isInstanceOf(EnvelopeArguments.Refused.class);
        assertThat(EnvelopeArguments.parseMail("FROM:<a@example.org> BODY=BINARYMIME", 0, true))
                .isInstanceOfSatisfying(EnvelopeArguments.Sender.class,
                        s -> assertThat(s.parameters().body()).isEqualTo(BodyType.BINARY_MIME));
    }

    @Test
    void noSizeLimitMeansAnySize() {
        assertThat(EnvelopeArguments.parseMail("FROM:<a@example.org> SIZE=99999999999", 0, true))
                .isInstanceOf(EnvelopeArguments.Sender.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            NOTIFY=NEVER                    | ok
            NOTIFY=SUCCESS,FAILURE,DELAY    | ok
            notify=failure                  | ok
            NOTIFY=NEVER,SUCCESS            | 501 5.5.4
            NOTIFY=SOMETIMES                | 501 5.5.4
            NOTIFY=                         | 501 5.5.4
            NOTIFY=SUCCESS,                 | 501 5.5.4
            ORCPT=rfc822;user+40example.com | ok
            ORCPT=rfc822;                   | 501 5.5.4
            ORCPT=;user                     | 501 5.5.4
            ORCPT=user@example.com          | 501 5.5.4
            SIZE=10                         | 555 5.5.4
            """)
    void rcptParameter(String parameter, String expected) {
        String result = recipient("TO:<b@example.com> " + parameter);
        assertThat(result).isEqualTo(expected.equals("ok") ? "ok:b@example.com" : expected);
    }

    @Test
    void nonAsciiNeedsSmtpUtf8() {
        assertThat(sender("FROM:<jörg@example.org>")).isEqualTo("553 5.6.7");
        assertThat(sender("FROM:<jörg@example.org> SMTPUTF8")).isEqualTo("ok:jörg@example.org");
        assertThat(recipient("TO:<用户@例子.广告>")).isEqualTo("553 5.6.7");
        assertThat(EnvelopeArguments.parseRcpt("TO:<用户@例子.广告>", true))
                .isInstanceOf(EnvelopeArguments.Recipient.class);
        assertThat(EnvelopeArguments.parseRcpt("TO:<\"ü ser\"@example.com>", true))
                .isInstanceOf(EnvelopeArguments.Recipient.class);
    }
}
