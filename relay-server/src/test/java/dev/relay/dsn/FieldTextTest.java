package dev.relay.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FieldTextTest {

    @Test
    void datesAreRfc5322InUtc() {
        assertThat(FieldText.date(Instant.parse("2026-03-01T07:08:09Z"))).isEqualTo("Sun, 1 Mar 2026 07:08:09 +0000");
    }

    @Test
    void controlsBecomeSingleSpaces() {
        assertThat(FieldText.clean("a\r\nb\t\tc\u0000d\u0085e  ", false)).isEqualTo("a b c d e");
    }

    @Test
    void nonAsciiIsEscapedOutsideUtf8AndKeptInside() {
        assertThat(FieldText.clean("Grüße 😀", false)).isEqualTo("Gr\\x{FC}\\x{DF}e \\x{1F600}");
        assertThat(FieldText.clean("Grüße 😀", true)).isEqualTo("Grüße 😀");
        assertThat(FieldText.clean("lone \ud800 surrogate", true)).isEqualTo("lone ? surrogate");
    }

    @Test
    void fieldsFoldAtSpacesAndUnfoldToTheCleanedValue() {
        StringBuilder out = new StringBuilder();
        String value = "smtp; 550 5.7.1 " + "word ".repeat(60);
        FieldText.field(out, "Diagnostic-Code", value, false);

        String field = out.toString();
        assertThat(field).endsWith("\r\n");
        for (String line : field.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(field.substring(0, field.length() - 2).replace("\r\n", ""))
                .isEqualTo("Diagnostic-Code: " + value.strip());
    }

    @Test
    void aWordBeyondTheLimitIsCutWithinNineHundredOctets() {
        StringBuilder out = new StringBuilder();
        FieldText.field(out, "Diagnostic-Code", "smtp; " + "é".repeat(2000), true);

        for (String line : out.toString().split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FieldText.WORD_LIMIT + 1);
        }
    }

    @Test
    void durationsInWords() {
        assertThat(Explanation.duration(Duration.ofDays(5))).isEqualTo("5 days");
        assertThat(Explanation.duration(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(Explanation.duration(Duration.ofHours(36))).isEqualTo("36 hours");
        assertThat(Explanation.duration(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(Explanation.duration(Duration.ofSeconds(30))).isEqualTo("30 seconds");
    }

    @Test
    void xtextForValuesThatAreNotPlainText() {
        assertThat(Xtext.printableOrEncoded("QQ314159")).isEqualTo("QQ314159");
        assertThat(Xtext.printableOrEncoded("a b=c+é")).isEqualTo("a+20b+3Dc+2B+C3+A9");
    }
}
