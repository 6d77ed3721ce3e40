package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy files from RFC 8461 section 3.2 (its example, its ABNF, erratum 6253 on LF, erratum
 * 7282 on max_age) and the mistakes domains make in them.
 */
class PolicyParserTest {

    private static final String RFC_EXAMPLE = """
            version: STSv1
            mode: enforce
            mx: mail.example.com
            mx: *.example.net
            mx: backupmx.example.com
            max_age: 604800
            """;

    /** Lines joined with CRLF, the last one ended too. */
    private static String crlf(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    /** A valid enforce policy with {@code extra} lines inserted after the version line. */
    private static String enforceWith(String... extra) {
        String[] lines = new String[extra.length + 4];
        lines[0] = "version: STSv1";
        System.arraycopy(extra, 0, lines, 1, extra.length);
        lines[extra.length + 1] = "mode: enforce";
        lines[extra.length + 2] = "mx: mail.example.com";
        lines[extra.length + 3] = "max_age: 86400";
        return crlf(lines);
    }

    static Stream<Arguments> validPolicies() {
        return Stream.of(
                // name, body, mode, mx (comma-separated), max_age, expected warning substring ("" = no warnings)
                arguments("RFC 8461 example, LF (erratum 6253)", RFC_EXAMPLE, PolicyMode.ENFORCE,
                        "mail.example.com,*.example.net,backupmx.example.com", 604800L, ""),
                arguments("RFC example, CRLF", RFC_EXAMPLE.replace("\n", "\r\n"), PolicyMode.ENFORCE,
                        "mail.example.com,*.example.net,backupmx.example.com", 604800L, ""),
                arguments("mixed CRLF and LF", "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmax_age: 86400\n",
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("no final line end", "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400",
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("testing", crlf("version: STSv1", "mode: testing", "mx: mx1.example.org", "max_age: 3600"),
                        PolicyMode.TESTING, "mx1.example.org", 3600L, ""),
                arguments("none without mx", crlf("version: STSv1", "mode: none", "max_age: 86400"),
                        PolicyMode.NONE, "", 86400L, ""),
                arguments("none with mx", crlf("version: STSv1", "mode: none", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.NONE, "mail.example.com", 86400L, ""),
                arguments("fields in any order", crlf("max_age: 60", "mx: b.example.com", "mode: enforce", "mx: a.example.com", "version: STSv1"),
                        PolicyMode.ENFORCE, "b.example.com,a.example.com", 60L, ""),
                arguments("max_age 0", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 0"),
                        PolicyMode.ENFORCE, "mail.example.com", 0L, ""),
                arguments("max_age at the limit", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 31557600"),
                        PolicyMode.ENFORCE, "mail.example.com", 31557600L, ""),
                arguments("max_age one over the limit is clamped (erratum 7282)",
                        crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 31557601"),
                        PolicyMode.ENFORCE, "mail.example.com", 31557600L, "above the maximum of 31557600"),
                arguments("max_age of ten digits is clamped", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 9999999999"),
                        PolicyMode.ENFORCE, "mail.example.com", 31557600L, "above the maximum"),
                arguments("max_age of ten digits with leading zeros", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 0000086400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("max_age with leading zeros", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 00086400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("no space after the colon", crlf("version:STSv1", "mode:enforce", "mx:mail.example.com", "max_age:86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("tabs and spaces after the colon", crlf("version:\t STSv1", "mode: \tenforce", "mx:  mail.example.com", "max_age:\t86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("white space before the line end", crlf("version: STSv1 ", "mode: enforce\t", "mx: mail.example.com  ", "max_age: 86400 \t"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("unknown key ignored", enforceWith("foo: bar"), PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("extension with UTF-8 value and inner spaces", enforceWith("comment: Zürich mail team"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("extension name with dots, dashes, underscores", enforceWith("x-ext_1.a: 1"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("differently cased key is an unknown key, not the field", enforceWith("Mode: testing"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("byte order mark skipped", "\uFEFF" + crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "byte order mark"),
                arguments("blank line inside skipped", crlf("version: STSv1", "mode: enforce", "", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "blank line 3 was ignored"),
                arguments("line of spaces inside skipped", "version: STSv1\nmode: enforce\n \t \nmx: mail.example.com\nmax_age: 86400\n",
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "blank line 3"),
                arguments("blank line before the first field", "\r\n" + crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "blank line 1"),
                arguments("trailing blank lines: no warning", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400") + "\r\n\n  \r\n",
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("repeated mode: the first counts (section 3.2)", enforceWith("mode: testing"),
                        PolicyMode.TESTING, "mail.example.com", 86400L, "repeats mode; the first, on line 2, counts"),
                arguments("repeated mode: a broken second one is ignored", crlf("version: STSv1", "mode: enforce", "mode: Bogus", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "line 3 repeats mode"),
                arguments("repeated max_age: the first counts", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 600", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 600L, "repeats max_age"),
                arguments("repeated version: the first counts", crlf("version: STSv1", "version: STSv2", "mode: enforce", "mx: mail.example.com", "max_age: 1"),
                        PolicyMode.ENFORCE, "mail.example.com", 1L, "repeats version"),
                arguments("mx with a trailing dot", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com.", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "trailing dot"),
                arguments("mx in upper case is folded", crlf("version: STSv1", "mode: enforce", "mx: MAIL.Example.COM", "mx: *.EXAMPLE.net", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com,*.example.net", 86400L, ""),
                arguments("mx repeated is kept once", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: MAIL.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "listed before"),
                arguments("mx that is an IP address: kept, matches nothing", crlf("version: STSv1", "mode: enforce", "mx: 192.0.2.25", "max_age: 86400"),
                        PolicyMode.ENFORCE, "192.0.2.25", 86400L, "is an IP address"),
                arguments("mx in A-labels (IDN)", crlf("version: STSv1", "mode: enforce", "mx: mx.xn--bcher-kva.example", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mx.xn--bcher-kva.example", 86400L, ""),
                arguments("mx wildcard only", crlf("version: STSv1", "mode: enforce", "mx: *.mail.protection.example", "max_age: 86400"),
                        PolicyMode.ENFORCE, "*.mail.protection.example", 86400L, ""),
                arguments("mx single label", crlf("version: STSv1", "mode: testing", "mx: localhost", "max_age: 86400"),
                        PolicyMode.TESTING, "localhost", 86400L, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPolicies")
    void readsValidPolicies(String name, String body, PolicyMode mode, String mx, long maxAge, String warning) {
        PolicyParse parse = PolicyParser.parse(body);

        assertThat(parse).isInstanceOf(PolicyParse.Valid.class);
        PolicyParse.Valid valid = (PolicyParse.Valid) parse;
        assertThat(valid.policy().mode()).isEqualTo(mode);
        assertThat(valid.policy().mx()).extracting(MxPattern::pattern)
                .containsExactlyElementsOf(mx.isEmpty() ? List.of() : Arrays.asList(mx.split(",")));
        assertThat(valid.policy().maxAge()).isEqualTo(Duration.ofSeconds(maxAge));
        if (warning.isEmpty()) {
            assertThat(valid.warnings()).isEmpty();
        } else {
            assertThat(valid.warnings()).anySatisfy(w -> assertThat(w).contains(warning));
        }
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                // name, body, expected reason substring
                arguments("empty body", "", "the policy file is empty"),
                arguments("only line ends and blanks", "\r\n\n  \r\n", "the policy file is empty"),
                arguments("only a byte order mark", "\uFEFF", "the policy file is empty"),
                arguments("no version", crlf("mode: enforce", "mx: mail.example.com", "max_age: 86400"), "no version line"),
                arguments("version STSv2", crlf("version: STSv2", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "version is \"STSv2\", not STSv1"),
                arguments("version in lower case", crlf("version: stsv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "version is \"stsv1\""),
                arguments("Version key capitalised", crlf("Version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "no version line (line 1 has the key \"Version\""),
                arguments("no mode", crlf("version: STSv1", "mx: mail.example.com", "max_age: 86400"), "no mode line"),
                arguments("mode value capitalised", crlf("version: STSv1", "mode: Enforce", "mx: mail.example.com", "max_age: 86400"),
                        "mode is \"Enforce\", not enforce, testing or none"),
                arguments("mode unknown", crlf("version: STSv1", "mode: report", "mx: mail.example.com", "max_age: 86400"),
                        "mode is \"report\""),
                arguments("mode empty", crlf("version: STSv1", "mode:", "mx: mail.example.com", "max_age: 86400"),
                        "mode is \"\""),
                arguments("Mode key capitalised", crlf("version: STSv1", "Mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "no mode line (line 2 has the key \"Mode\"; names are case-sensitive, \"Mode\" is not \"mode\")"),
                arguments("repeated mode, the first broken", crlf("version: STSv1", "mode: Enforce", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "mode is \"Enforce\""),
                arguments("no max_age", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com"), "no max_age line"),
                arguments("max-age with a hyphen", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max-age: 86400"),
                        "no max_age line (line 4 has the key \"max-age\"; a typo for \"max_age\"?)"),
                arguments("max_age negative", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: -1"),
                        "max_age is \"-1\", not a number of seconds"),
                arguments("max_age with a unit", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 1d"),
                        "max_age is \"1d\""),
                arguments("max_age with a plus sign", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: +86400"),
                        "max_age is \"+86400\""),
                arguments("max_age with inner space", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86 400"),
                        "max_age is \"86 400\""),
                arguments("max_age empty", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age:"),
                        "max_age is \"\""),
                // sts-policy-max-age-value is 1*10DIGIT: eleven digits are outside the grammar, not clamped
                arguments("max_age of 11 digits", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 10000000000"),
                        "max_age is \"10000000000\", not a number of seconds of 1 to 10 digits"),
                arguments("max_age of 11 digits, leading zero", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 00000086400"),
                        "not a number of seconds of 1 to 10 digits"),
                arguments("max_age of 25 digits, no overflow",
                        crlf("version: STSv1", "mode: testing", "mx: mail.example.com", "max_age: 1234567890123456789012345"),
                        "not a number of seconds of 1 to 10 digits"),
                arguments("max_age in non-ASCII digits", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: ٨٦٤٠٠"),
                        "not a number of seconds"),
                arguments("enforce without mx", crlf("version: STSv1", "mode: enforce", "max_age: 86400"), "mode enforce but no mx line"),
                arguments("testing without mx", crlf("version: STSv1", "mode: testing", "max_age: 86400"), "mode testing but no mx line"),
                arguments("nmx typo leaves enforce without mx", crlf("version: STSv1", "mode: enforce", "nmx: mail.example.com", "max_age: 86400"),
                        "mode enforce but no mx line (line 3 has the key \"nmx\"; a typo for \"mx\"?)"),
                arguments("MX in upper case is not mx", crlf("version: STSv1", "mode: enforce", "MX: mail.example.com", "max_age: 86400"),
                        "no mx line (line 3 has the key \"MX\""),
                arguments("space before the colon", crlf("version: STSv1", "mode : enforce", "mx: mail.example.com", "max_age: 86400"),
                        "line 2 has white space before the key or the colon"),
                arguments("space before the key", crlf("version: STSv1", "mode: enforce", " mx: mail.example.com", "max_age: 86400"),
                        "line 3 has white space before the key or the colon"),
                arguments("tab before the key", crlf("\tversion: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "line 1 has white space before the key"),
                arguments("line without a colon", crlf("version: STSv1", "mode enforce", "mx: mail.example.com", "max_age: 86400"),
                        "line 2 is not a \"key: value\" field: \"mode enforce\""),
                arguments("an HTML page", "<html><body>Not Found</body></html>\n", "line 1 is not a \"key: value\" field"),
                arguments("comment with a hash", enforceWith("#mode: testing"), "line 2 has an invalid key \"#mode\""),
                arguments("key starting with an underscore", enforceWith("_x: 1"), "invalid key \"_x\""),
                arguments("a bare CR first on a line", enforceWith("\rx: 1"),
                        "line 2 contains a control character (a CR not followed by LF)"),
                arguments("a line that begins with the colon", enforceWith(": 1"),
                        "line 2 has white space before the key or the colon: \": 1\""),
                arguments("a 40-character value is quoted whole", crlf("version: STSv1", "mode: " + "x".repeat(40),
                        "mx: mail.example.com", "max_age: 86400"), "mode is \"" + "x".repeat(40) + "\", not"),
                arguments("a 41-character value is cut", crlf("version: STSv1", "mode: " + "x".repeat(41),
                        "mx: mail.example.com", "max_age: 86400"), "mode is \"" + "x".repeat(40) + "...\", not"),
                arguments("key of 33 characters", enforceWith("a23456789012345678901234567890123: 1"), "invalid key"),
                arguments("bare CR line ends", "version: STSv1\rmode: enforce\rmx: mail.example.com\rmax_age: 86400\r",
                        "contains a control character (a CR not followed by LF)"),
                arguments("NUL in a value", crlf("version: STSv1", "mode: enforce\0", "mx: mail.example.com", "max_age: 86400"),
                        "line 2 contains a control character"),
                arguments("mx U-label", crlf("version: STSv1", "mode: enforce", "mx: mx.bücher.example", "max_age: 86400"),
                        "mx \"mx.bücher.example\" on line 3 is not a host name in A-labels"),
                arguments("mx with an underscore", crlf("version: STSv1", "mode: enforce", "mx: mail_1.example.com", "max_age: 86400"),
                        "mx \"mail_1.example.com\" on line 3"),
                arguments("mx with an empty label", crlf("version: STSv1", "mode: enforce", "mx: mail..example.com", "max_age: 86400"),
                        "mx \"mail..example.com\""),
                arguments("mx with two trailing dots", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com..", "max_age: 86400"),
                        "mx \"mail.example.com..\""),
                arguments("mx empty", crlf("version: STSv1", "mode: enforce", "mx:", "max_age: 86400"), "mx on line 3 is empty"),
                arguments("mx a lone star", crlf("version: STSv1", "mode: enforce", "mx: *", "max_age: 86400"), "mx \"*\""),
                arguments("mx partial wildcard", crlf("version: STSv1", "mode: enforce", "mx: *mail.example.com", "max_age: 86400"),
                        "mx \"*mail.example.com\""),
                arguments("mx wildcard in the middle", crlf("version: STSv1", "mode: enforce", "mx: mail.*.example.com", "max_age: 86400"),
                        "mx \"mail.*.example.com\""),
                arguments("mx with a port", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com:25", "max_age: 86400"),
                        "mx \"mail.example.com:25\""),
                arguments("two mx on one line", crlf("version: STSv1", "mode: enforce", "mx: a.example.com b.example.com", "max_age: 86400"),
                        "mx \"a.example.com b.example.com\""),
                arguments("two mx comma-separated", crlf("version: STSv1", "mode: enforce", "mx: a.example.com,b.example.com", "max_age: 86400"),
                        "mx \"a.example.com,b.example.com\""),
                arguments("mx label starting with a hyphen", crlf("version: STSv1", "mode: enforce", "mx: -mail.example.com", "max_age: 86400"),
                        "mx \"-mail.example.com\""),
                arguments("mx bracketed address literal", crlf("version: STSv1", "mode: enforce", "mx: [192.0.2.25]", "max_age: 86400"),
                        "mx \"[192.0.2.25]\""),
                arguments("a good mx does not excuse a bad one", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: bad_mx.example.com", "max_age: 86400"),
                        "on line 4 is not a host name"),
                arguments("only a version line", "version: STSv1\n", "no mode line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void refusesInvalidPolicies(String name, String body, String reason) {
        PolicyParse parse = PolicyParser.parse(body);

        assertThat(parse).isInstanceOfSatisfying(PolicyParse.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains(reason));
    }

    @Test
    void aLongGarbageLineIsQuotedShort() {
        PolicyParse parse = PolicyParser.parse("x".repeat(5000) + "\n");

        assertThat(parse).isInstanceOfSatisfying(PolicyParse.Invalid.class,
                invalid -> assertThat(invalid.reason()).hasSizeLessThan(120).endsWith("...\""));
    }

    @Test
    void aNullBodyIsAnEmptyPolicy() {
        assertThat(PolicyParser.parse(null)).isEqualTo(new PolicyParse.Invalid("the policy file is empty"));
    }

    @Test
    void theExactReasonForAnEnforcePolicyWithoutMx() {
        assertThat(PolicyParser.parse(crlf("version: STSv1", "mode: enforce", "max_age: 86400")))
                .isEqualTo(new PolicyParse.Invalid("mode enforce but no mx line"));
    }

    @Test
    void warningsArePlainSentences() {
        String body = "\uFEFF" + crlf("version: STSv1", "mode: enforce", "", "mx: mail.example.com.", "max_age: 99999999");

        PolicyParse parse = PolicyParser.parse(body);

        assertThat(parse).isInstanceOfSatisfying(PolicyParse.Valid.class, valid -> assertThat(valid.warnings()).containsExactly(
                "a byte order mark before the first line was ignored",
                "blank line 3 was ignored",
                "max_age \"99999999\" is above the maximum of 31557600 seconds; 31557600 is used",
                "mx \"mail.example.com.\" on line 4 has a trailing dot; read as mail.example.com"));
    }
}
