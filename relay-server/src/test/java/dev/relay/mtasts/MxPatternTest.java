package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8461 section 4.1: MX host validation against the policy's mx patterns. */
class MxPatternTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            mail.example.com        | mail.example.com          | true
            mail.example.com        | MAIL.EXAMPLE.COM          | true
            mail.example.com        | Mail.Example.Com.         | true
            MAIL.Example.com.       | mail.example.com          | true
            mail.example.com        | mail2.example.com         | false
            mail.example.com        | evilmail.example.com      | false
            mail.example.com        | xmail.example.com.        | false
            zz9.example.com         | ZZ9.example.com           | true
            mail.example.com        | example.com               | false
            mail.example.com        | a.mail.example.com        | false
            mail.example.com        | mail.example.co           | false
            mail.example.com        | mail.example.com..        | false
            mail.example.com        | ''                        | false
            mail.example.com        | '   '                     | false
            mail.example.com        | .                         | false
            mail-1.example.com      | MAIL-1.example.com        | true
            *.example.net           | mx1.example.net           | true
            *.example.net           | MX1.EXAMPLE.NET.          | true
            *.example.net           | a-b.example.net           | true
            *.example.net           | z.example.net             | true
            *.example.net           | 0-9.example.net           | true
            *.example.net           | a_b.example.net           | false
            *.example.net           | -a.example.net            | false
            *.example.net           | a-.example.net            | false
            *.example.net           | a b.example.net           | false
            *.example.net           | a:b.example.net           | false
            *.example.net           | *.example.net             | false
            *.example.net           | ..example.net             | false
            *.example.net           | example.net               | false
            *.example.net           | mx1.mail.example.net      | false
            *.example.net           | .example.net              | false
            *.example.net           | mx1example.net            | false
            *.example.net           | mx1.example.net.evil      | false
            *.example.net           | mx1.example.network       | false
            *.com                   | example.com               | true
            *.com                   | mx.example.com            | false
            192.0.2.25              | 192.0.2.25                | false
            *.example.com           | [192.0.2.25]              | false
            *.example.com           | 2001:db8::25              | false
            *.example.com           | [IPv6:2001:db8::25]       | false
            xn--bcher-kva.example   | xn--bcher-kva.example     | true
            xn--bcher-kva.example   | bücher.example            | true
            xn--bcher-kva.example   | BÜCHER.example.           | true
            *.xn--bcher-kva.example | mx.bücher.example         | true
            *.xn--bcher-kva.example | bücher.example            | false
            """)
    void matchesHostsCaseInsensitivelyWithOneLabelWildcards(String pattern, String host, boolean expected) {
        MxPattern mx = MxPattern.parse(pattern).orElseThrow();

        assertThat(mx.matches(host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mail.example.com                 | mail.example.com
            Mail.Example.COM                 | mail.example.com
            mail.example.com.                | mail.example.com
            *.Example.NET                    | *.example.net
            *.example.net.                   | *.example.net
            xn--bcher-kva.example            | xn--bcher-kva.example
            a-b.c-d.example                  | a-b.c-d.example
            localhost                        | localhost
            192.0.2.25                       | 192.0.2.25
            """)
    void parsesAndNormalizesPatterns(String text, String normalized) {
        assertThat(MxPattern.parse(text)).map(MxPattern::pattern).contains(normalized);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            ''
            .
            *
            *.
            *..example.com
            **.example.com
            *example.com
            *.*.example.com
            mail.*.example.com
            mail.example.*
            bücher.example
            mail_1.example.com
            _mta-sts.example.com
            mail..example.com
            .example.com
            mail.example.com..
            -mail.example.com
            mail-.example.com
            mail example.com
            ' mail.example.com'
            mail.example.com:25
            [192.0.2.25]
            2001:db8::25
            mail.example.com/
            """)
    void refusesWhatIsNotAnLdhNameInALabels(String text) {
        assertThat(MxPattern.parse(text)).isEmpty();
    }

    @Test
    void labelAndNameLengthLimits() {
        String label63 = "a".repeat(63);
        assertThat(MxPattern.parse(label63 + ".example")).isPresent();
        assertThat(MxPattern.parse("a".repeat(64) + ".example")).isEmpty();

        String name253 = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
        assertThat(name253).hasSize(253);
        assertThat(MxPattern.parse(name253)).isPresent();
        assertThat(MxPattern.parse(name253 + "e")).isEmpty();
    }

    @Test
    void aRecordMustHoldANormalizedPattern() {
        assertThat(new MxPattern("*.example.net").isWildcard()).isTrue();
        assertThat(new MxPattern("*.example.net")).hasToString("*.example.net");
        assertThat(new MxPattern("mail.example.net").isWildcard()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new MxPattern("Mail.Example.net"));
        assertThatIllegalArgumentException().isThrownBy(() -> new MxPattern("mail.example.net."));
        assertThatIllegalArgumentException().isThrownBy(() -> new MxPattern("mail_1.example.net"));
    }

    @Test
    void aNullHostMatchesNothing() {
        assertThat(new MxPattern("mail.example.com").matches(null)).isFalse();
    }
}
