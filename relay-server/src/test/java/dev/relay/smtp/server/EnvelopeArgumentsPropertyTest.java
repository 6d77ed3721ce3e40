package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Argument parsing over generated input: xtext (RFC 3461 section 4) decodes what an independent
 * encoder made of any text, and refuses exactly what is not xtext; no argument text, however
 * broken, makes MAIL or RCPT parsing throw.
 */
class EnvelopeArgumentsPropertyTest {

    /** xtext as RFC 3461 spells it: "!" to "~" but "+" and "=" as they are, every other octet as "+XX". */
    private static String xtext(String text, boolean lowerHex) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                String hex = String.format("+%02X", c);
                out.append(lowerHex ? hex.toLowerCase(java.util.Locale.ROOT) : hex);
            }
        }
        return out.toString();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(20),
                Arbitraries.strings().withCharRange(' ', '\u00ff').withChars("+=/09:@AFGafg`").ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(10));
    }

    @Property
    void xtextDecodesWhatItsEncodingMakes(@ForAll("texts") String text, @ForAll boolean lowerHex) {
        // unpaired surrogates have no UTF-8 form: the encoder writes "?" for them
        String expected = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        assertThat(Xtext.decode(xtext(text, lowerHex))).contains(expected);
    }

    @Provide
    Arbitrary<String> xtextLike() {
        return Arbitraries.strings().withChars("+=aZ09AFafGg/:@`~! \u0000\u007f\u0080é").ofMaxLength(8);
    }

    @Property
    void xtextRefusesExactlyWhatIsNotXtext(@ForAll("xtextLike") String text) {
        boolean valid = text.matches("(?:[\\x21-\\x2a\\x2c-\\x3c\\x3e-\\x7e]|\\+[0-9A-Fa-f]{2})*");

        assertThat(Xtext.decode(text).isPresent()).as("[%s]", text).isEqualTo(valid);
    }

    @Provide
    Arbitrary<String> arguments() {
        Arbitrary<String> pieces = Arbitraries.of("FROM:", "TO:", "<", ">", "@", ".", ":", ",", "\"", "\\", "[", "]",
                "IPv6:", "192.0.2.1", "::1", "a", "Postmaster", "é", " ", "=", ";", "+", "SIZE", "ORCPT", "NOTIFY",
                "ENVID", "AUTH", "BODY", "RET", "SMTPUTF8", "rfc822", "1", "-", "\u0000", "\u0085");
        return pieces.list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Property
    void noArgumentMakesParsingThrow(@ForAll("arguments") String argument, @ForAll boolean smtpUtf8) {
        assertThat(EnvelopeArguments.parseMail(argument, 1000, smtpUtf8)).isNotNull();
        assertThat(EnvelopeArguments.parseRcpt(argument, smtpUtf8)).isNotNull();
        assertThat(EnvelopeArguments.parseMail("FROM:" + argument, 0, true)).isNotNull();
        assertThat(EnvelopeArguments.parseRcpt("TO:" + argument, true)).isNotNull();
    }
}
