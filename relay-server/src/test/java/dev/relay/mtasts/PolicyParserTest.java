package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
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

    private static final List<String> STANDARD = List.of(
            "version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400");

    /** Lines joined with CRLF, the last one ended too. */
    private static String crlf(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    /**
     * The standard enforce policy (mx mail.example.com, max_age 86400) with the line of one field
     * replaced by {@code line}: the cases that differ from it in one value only.
     */
    private static String standardWith(String line) {
        String key = line.substring(0, line.indexOf(':') + 1);
        for (int number = 1; number <= STANDARD.size(); number++) {
            if (STANDARD.get(number - 1).startsWith(key)) {
                return standardWithLine(number, line);
            }
        }
        throw new IllegalArgumentException("no field " + key + " in the standard policy");
    }

    /** The standard enforce policy with its line {@code number} (from 1) replaced by {@code line}. */
    private static String standardWithLine(int number, String line) {
        List<String> lines = new ArrayList<>(STANDARD);
        lines.set(number - 1, line);
        return crlf(lines.toArray(String[]::new));
    }

    /** The standard enforce policy with {@code extra} lines inserted after the version line. */
    private static String enforceWith(String... extra) {
        List<String> lines = new ArrayList<>(STANDARD);
        lines.addAll(1, List.of(extra));
        return crlf(lines.toArray(String[]::new));
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
                arguments("byte order mark skipped", "\uFEFF" + enforceWith(),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "byte order mark"),
                arguments("blank line inside skipped", crlf("version: STSv1", "mode: enforce", "", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "blank line 3 was ignored"),
                arguments("line of spaces inside skipped", "version: STSv1\nmode: enforce\n \t \nmx: mail.example.com\nmax_age: 86400\n",
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "blank line 3"),
                arguments("blank line before the first field", "\r\n" + enforceWith(),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "blank line 1"),
                arguments("trailing blank lines: no warning", enforceWith() + "\r\n\n  \r\n",
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, ""),
                arguments("repeated mode: the first counts (section 3.2)", enforceWith("mode: testing"),
                        PolicyMode.TESTING, "mail.example.com", 86400L, "repeats mode; the first, on line 2, counts"),
                arguments("repeated mode: a broken second one is ignored", crlf("version: STSv1", "mode: enforce", "mode: Bogus", "mx: mail.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "line 3 repeats mode"),
                arguments("repeated max_age: the first counts", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 600", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 600L, "repeats max_age"),
                arguments("repeated version: the first counts", crlf("version: STSv1", "version: STSv2", "mode: enforce", "mx: mail.example.com", "max_age: 1"),
                        PolicyMode.ENFORCE, "mail.example.com", 1L, "repeats version"),
                arguments("mx in upper case is folded", crlf("version: STSv1", "mode: enforce", "mx: MAIL.Example.COM", "mx: *.EXAMPLE.net", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com,*.example.net", 86400L, ""),
                arguments("mx repeated is kept once", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: MAIL.example.com", "max_age: 86400"),
                        PolicyMode.ENFORCE, "mail.example.com", 86400L, "listed before"),
                arguments("mx single label", crlf("version: STSv1", "mode: testing", "mx: localhost", "max_age: 86400"),
                        PolicyMode.TESTING, "localhost", 86400L, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPolicies")
    void readsValidPolicies(String name, String body, PolicyMode mode, String mx, long maxAge, String warning) {
        assertValid(body, mode, mx, maxAge, warning);
    }

    private static void assertValid(String body, PolicyMode mode, String mx, long maxAge, String warning) {
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", textBlock = """
            # the line replaced           | mode    | mx (comma-separated)      | max_age  | warning ('' = none)
            max_age: 0                    | ENFORCE | mail.example.com          | 0        | ''
            max_age: 31557600             | ENFORCE | mail.example.com          | 31557600 | ''
            # one over the limit is clamped (erratum 7282)
            max_age: 31557601             | ENFORCE | mail.example.com          | 31557600 | above the maximum of 31557600
            max_age: 9999999999           | ENFORCE | mail.example.com          | 31557600 | above the maximum
            # ten digits with leading zeros
            max_age: 0000086400           | ENFORCE | mail.example.com          | 86400    | ''
            max_age: 00086400             | ENFORCE | mail.example.com          | 86400    | ''
            mx: mail.example.com.         | ENFORCE | mail.example.com          | 86400    | trailing dot
            # an IP address is kept, and matches nothing
            mx: 192.0.2.25                | ENFORCE | 192.0.2.25                | 86400    | is an IP address
            # A-labels (IDN)
            mx: mx.xn--bcher-kva.example  | ENFORCE | mx.xn--bcher-kva.example  | 86400    | ''
            mx: *.mail.protection.example | ENFORCE | *.mail.protection.example | 86400    | ''
            """)
    void readsOneValueOfTheStandardPolicy(String line, PolicyMode mode, String mx, long maxAge, String warning) {
        assertValid(standardWith(line), mode, mx, maxAge, warning);
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                // name, body, expected reason substring
                arguments("empty body", "", "the policy file is empty"),
                arguments("only line ends and blanks", "\r\n\n  \r\n", "the policy file is empty"),
                arguments("only a byte order mark", "\uFEFF", "the policy file is empty"),
                arguments("no version", crlf("mode: enforce", "mx: mail.example.com", "max_age: 86400"), "no version line"),
                arguments("no mode", crlf("version: STSv1", "mx: mail.example.com", "max_age: 86400"), "no mode line"),
                arguments("repeated mode, the first broken", crlf("version: STSv1", "mode: Enforce", "mode: enforce", "mx: mail.example.com", "max_age: 86400"),
                        "mode is \"Enforce\""),
                arguments("no max_age", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com"), "no max_age line"),
                arguments("max_age of 25 digits, no overflow",
                        crlf("version: STSv1", "mode: testing", "mx: mail.example.com", "max_age: 1234567890123456789012345"),
                        "not a number of seconds of 1 to 10 digits"),
                arguments("enforce without mx", crlf("version: STSv1", "mode: enforce", "max_age: 86400"), "mode enforce but no mx line"),
                arguments("testing without mx", crlf("version: STSv1", "mode: testing", "max_age: 86400"), "mode testing but no mx line"),
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
                arguments("a good mx does not excuse a bad one", crlf("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: bad_mx.example.com", "max_age: 86400"),
                        "on line 4 is not a host name"),
                arguments("only a version line", "version: STSv1\n", "no mode line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void refusesInvalidPolicies(String name, String body, String reason) {
        assertRefused(body, reason);
    }

    private static void assertRefused(String body, String reason) {
        PolicyParse parse = PolicyParser.parse(body);

        assertThat(parse).isInstanceOfSatisfying(PolicyParse.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains(reason));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", textBlock = """
            # the line replaced                | expected reason substring
            version: STSv2                     | version is "STSv2", not STSv1
            version: stsv1                     | version is "stsv1"
            mode: Enforce                      | mode is "Enforce", not enforce, testing or none
            mode: report                       | mode is "report"
            mode:                              | mode is ""
            max_age: -1                        | max_age is "-1", not a number of seconds
            max_age: 1d                        | max_age is "1d"
            max_age: +86400                    | max_age is "+86400"
            max_age: 86 400                    | max_age is "86 400"
            max_age:                           | max_age is ""
            # sts-policy-max-age-value is 1*10DIGIT: eleven digits are outside the grammar, not clamped
            max_age: 10000000000               | max_age is "10000000000", not a number of seconds of 1 to 10 digits
            max_age: 00000086400               | not a number of seconds of 1 to 10 digits
            max_age: ٨٦٤٠٠                     | not a number of seconds
            # a U-label
            mx: mx.bücher.example              | mx "mx.bücher.example" on line 3 is not a host name in A-labels
            mx: mail_1.example.com             | mx "mail_1.example.com" on line 3
            mx: mail..example.com              | mx "mail..example.com"
            mx: mail.example.com..             | mx "mail.example.com.."
            mx:                                | mx on line 3 is empty
            mx: *                              | mx "*"
            mx: *mail.example.com              | mx "*mail.example.com"
            mx: mail.*.example.com             | mx "mail.*.example.com"
            mx: mail.example.com:25            | mx "mail.example.com:25"
            mx: a.example.com b.example.com    | mx "a.example.com b.example.com"
            mx: a.example.com,b.example.com    | mx "a.example.com,b.example.com"
            mx: -mail.example.com              | mx "-mail.example.com"
            mx: [192.0.2.25]                   | mx "[192.0.2.25]"
            """)
    void refusesOneBadValueInTheStandardPolicy(String line, String reason) {
        assertRefused(standardWith(line), reason);
    }

    @ParameterizedTest(name = "line {0}: {1}")
    @CsvSource(delimiterString = " | ", textBlock = """
            # line | replaced by            | expected reason substring
            # keys are case-sensitive
            1      | Version: STSv1         | no version line (line 1 has the key "Version"
            2      | Mode: enforce          | no mode line (line 2 has the key "Mode"; names are case-sensitive, "Mode" is not "mode")
            3      | MX: mail.example.com   | no mx line (line 3 has the key "MX"
            # typos
            4      | max-age: 86400         | no max_age line (line 4 has the key "max-age"; a typo for "max_age"?)
            3      | nmx: mail.example.com  | mode enforce but no mx line (line 3 has the key "nmx"; a typo for "mx"?)
            # white space before the key or the colon
            2      | mode : enforce         | line 2 has white space before the key or the colon
            3      | ' mx: mail.example.com' | line 3 has white space before the key or the colon
            1      | '\tversion: STSv1'     | line 1 has white space before the key
            2      | mode enforce           | line 2 is not a "key: value" field: "mode enforce"
            """)
    void refusesABrokenLineInTheStandardPolicy(int number, String line, String reason) {
        assertRefused(standardWithLine(number, line), reason);
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
