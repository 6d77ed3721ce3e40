package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.MailParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every ASCII character at each place of a MAIL or RCPT argument, against the RFC 5321 and
 * RFC 3461 character classes spelled out here, plus the edges of each length limit.
 */
class EnvelopeArgumentsCharactersTest {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** RFC 5322 atext. */
    private static final String ATEXT = ALNUM + "!#$%&'*+-/=?^_`{|}~";

    private static String recipient(String argument, boolean smtpUtf8) {
        return ParsedArguments.recipient(argument, smtpUtf8);
    }

    private static String recipient(String argument) {
        return recipient(argument, false);
    }

    /** Without a SIZE limit. */
    private static String sender(String argument) {
        return ParsedArguments.sender(argument, 0);
    }

    private static MailParameters mailParameters(String argument) {
        return ((EnvelopeArguments.Sender) EnvelopeArguments.parseMail(argument, 0, true)).parameters();
    }

    @Test
    void everyAsciiCharacterInALocalPart() {
        for (char c = 0; c < 128; c++) {
            String argument = "TO:<a" + c + "b@example.com>";
            boolean atext = ATEXT.indexOf(c) >= 0;
            String expected = atext || c == '.' ? "ok:a" + c + "b@example.com" : "501 5.1.3";
            assertThat(recipient(argument)).as("local part with %d", (int) c).isEqualTo(expected);
        }
    }

    @Test
    void everyAsciiCharacterInAQuotedLocalPart() {
        for (char c = 0; c < 128; c++) {
            boolean qtext = c >= 32 && c <= 126 && c != '"' && c != '\\';
            assertThat(recipient("TO:<\"a" + c + "b\"@example.com>")).as("quoted %d", (int) c)
                    .isEqualTo(qtext || c == '\\' ? "ok:\"a" + c + "b\"@example.com" : "501 5.1.3");
            // quoted-pairSMTP = "\" %d32-126
            assertThat(recipient("TO:<\"a\\" + c + "\"@example.com>")).as("quoted pair %d", (int) c)
                    .isEqualTo(c >= 32 && c <= 126 ? "ok:\"a\\" + c + "\"@example.com" : "501 5.1.3");
        }
    }

    @Test
    void everyAsciiCharacterInADomain() {
        for (char c = 0; c < 128; c++) {
            boolean ldh = ALNUM.indexOf(c) >= 0 || c == '-' || c == '.';
            String expected = ldh ? "ok:a@x" + c + "y.example" : c == '>' ? "501 5.5.4" : "501 5.1.3";
            assertThat(recipient("TO:<a@x" + c + "y.example>")).as("domain with %d", (int) c).isEqualTo(expected);
        }
    }

    @Test
    void nonAsciiOnlyWithSmtpUtf8AndNeverAControlOrSpace() {
        assertThat(recipient("TO:<user@例子.广告>")).isEqualTo("553 5.6.7");
        assertThat(recipient("TO:<\"ü\"@example.com>")).isEqualTo("553 5.6.7");
        assertThat(recipient("TO:<\"\u00a0\"@example.com>", true)).isEqualTo("ok:\"\u00a0\"@example.com");
        assertThat(recipient("TO:<\"\u009f\"@example.com>", true)).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<a\u0085b@example.com>", true)).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<a\u2003b@example.com>", true)).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<aéb@example.com>", true)).isEqualTo("ok:aéb@example.com");
    }

    @Test
    void inputThatEndsTooSoon() {
        for (String argument : new String[] {"TO:<", "TO:<abc", "TO:<\"a\\", "TO:<\"abc", "TO:<a@example.", "TO:<a@example",
                "TO:<a@[192.0.2.1", "TO:<@a.example", "TO:<@a.example,"}) {
            assertThat(recipient(argument)).as(argument).isEqualTo("501 5.1.3");
        }
        assertThat(sender("FROM:")).isEqualTo("501 5.5.4");
        assertThat(sender("FROM:   ")).isEqualTo("501 5.5.4");
        assertThat(sender("FROM:<")).isEqualTo("501 5.1.7");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            TO:<@a.example,@b.example:u@example.com> | ok:u@example.com
            TO:<@a.example,b.example:u@example.com>  | 501 5.1.3
            TO:<@a.example;u@example.com>            | 501 5.1.3
            TO:<@-a.example:u@example.com>           | 501 5.1.3
            # a broken route is no route: what follows it is never read as the mailbox instead
            TO:<@a.example,u@example.com>            | 501 5.1.3
            TO:<@a.example_u@example.com>            | 501 5.1.3
            """)
    void sourceRoutesAreParsedAndDropped(String argument, String expected) {
        assertThat(recipient(argument)).isEqualTo(expected);
    }

    @Test
    void pathAndDomainLengthEdges() {
        // a domain of exactly 255 octets is allowed, 256 not (labels of 63 at most)
        String domain255 = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63));
        assertThat(domain255).hasSize(255);
        String domain256 = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62), "e");
        assertThat(domain256).hasSize(256);
        // the whole path, brackets included, is 256 octets at most
        String local = "l".repeat(64 - 63 + 61); // 62
        String path256 = "<" + local + "@" + String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63)) + ">";
        assertThat(path256).hasSize(256);
        assertThat(recipient("TO:" + path256)).startsWith("ok:");
        assertThat(recipient("TO:<l" + path256.substring(1))).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<@" + domain255 + ":u@example.com>")).as("source route counts").isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<" + "x@" + domain255 + ">")).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<" + "x@" + domain256 + ">")).isEqualTo("501 5.1.3");
        assertThat(recipient("TO:<" + "ü".repeat(32) + "@example.com>", true)).as("64 octets").startsWith("ok:");
        assertThat(recipient("TO:<" + "ü".repeat(32) + "a@example.com>", true)).as("65 octets").isEqualTo("501 5.1.3");
    }

    @Test
    void everyAsciiCharacterInAParameterKeyword() {
        for (char c = 0; c < 128; c++) {
            boolean keyChar = ALNUM.indexOf(c) >= 0 || c == '-';
            String inside = sender("FROM:<a@example.org> X" + c + "Y=1");
            assertThat(inside).as("keyword with %d", (int) c)
                    .isEqualTo(keyChar || c == ' ' ? "555 5.5.4" : "501 5.5.4");
            String first = sender("FROM:<a@example.org> " + c + "X=1");
            assertThat(first).as("keyword starting with %d", (int) c)
                    .isEqualTo(ALNUM.indexOf(c) >= 0 || c == ' ' ? "555 5.5.4" : "501 5.5.4");
        }
    }

    @Test
    void everyCharacterClassInAParameterValue() {
        for (char c = 0; c < 128; c++) {
            boolean valueChar = c >= 33 && c <= 126 && c != '=';
            assertThat(sender("FROM:<a@example.org> XKEY=a" + c + "b")).as("value with %d", (int) c)
                    .isEqualTo(valueChar || c == ' ' ? "555 5.5.4" : "501 5.5.4");
        }
        assertThat(sender("FROM:<a@example.org> XKEY=\u0080")).isEqualTo("501 5.5.4");
        assertThat(sender("FROM:<a@example.org> XKEY=\u009f")).isEqualTo("501 5.5.4");
        assertThat(sender("FROM:<a@example.org> XKEY=\u00a0")).isEqualTo("555 5.5.4");
        assertThat(sender("FROM:<a@example.org> XKEY=é")).isEqualTo("555 5.5.4");
        assertThat(sender("FROM:<a@example.org>XKEY=1")).isEqualTo("501 5.5.4");
    }

    @Test
    void numbersAndLengthsAtTheirLimits() {
        assertThat(mailParameters("FROM:<a@example.org> SIZE=999999999999999999").declaredSize())
                .hasValue(999_999_999_999_999_999L);
        assertThat(mailParameters("FROM:<a@example.org> SIZE=9999999999999999999").declaredSize()).hasValue(Long.MAX_VALUE);
        assertThat(mailParameters("FROM:<a@example.org> ENVID=" + "e".repeat(100)).envelopeId()).contains("e".repeat(100));
        assertThat(sender("FROM:<a@example.org> ENVID=" + "e".repeat(101))).isEqualTo("501 5.5.4");
        assertThat(sender("FROM:<a@example.org> ENVID=" + "e".repeat(99) + "+C3+BC")).as("100 characters, 101 octets")
                .isEqualTo("ok:a@example.org");
        assertThat(sender("FROM:<a@example.org> AUTH=bad+ZZ")).isEqualTo("501 5.5.4");
        assertThat(sender("FROM:<a@example.org> AUTH=<>")).isEqualTo("ok:a@example.org");
    }

    @Test
    void originalRecipientIsKeptDecoded() {
        assertThat(original("ORCPT=rfc822;user+40example.com")).isEqualTo("rfc822;user@example.com");
        assertThat(original("ORCPT=x-type;" + "o".repeat(500))).isEqualTo("x-type;" + "o".repeat(500));
        assertThat(recipient("TO:<b@example.com> ORCPT=rfc822;" + "o".repeat(501))).isEqualTo("501 5.5.4");
        assertThat(recipient("TO:<b@example.com> ORCPT=rfc_822;user")).isEqualTo("501 5.5.4");
        assertThat(recipient("TO:<b@example.com> ORCPT=rfc822")).isEqualTo("501 5.5.4");
        // addr-type is an esmtp-keyword, kept as written
        assertThat(original("ORCPT=a;x")).isEqualTo("a;x");
        assertThat(original("ORCPT=z9-Z;x")).isEqualTo("z9-Z;x");
        for (String type : new String[] {"`", "{", "@", "[", "/", ":", "-a"}) {
            assertThat(recipient("TO:<b@example.com> ORCPT=" + type + ";x")).as(type).isEqualTo("501 5.5.4");
        }
        assertThat(recipient("TO:<b@example.com> ORCPT=rfc822;a;b")).as("a second ; is xtext").isEqualTo("ok:b@example.com");
    }

    private static String original(String parameter) {
        return ((EnvelopeArguments.Recipient) EnvelopeArguments.parseRcpt("TO:<b@example.com> " + parameter, false))
                .address().originalRecipient().orElseThrow();
    }

    @Test
    void aMailboxReadsAsItsAddress() {
        assertThat(new Mailbox("user", "example.com")).hasToString("user@example.com");
        assertThat(new Mailbox("Postmaster", "")).hasToString("Postmaster");
    }
}
