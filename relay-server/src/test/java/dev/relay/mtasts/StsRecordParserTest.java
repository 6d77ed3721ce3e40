package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.relay.text.TxtDiscovery;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8461 section 3.1: the TXT record at {@code _mta-sts.<domain>}. */
class StsRecordParserTest {

    private static final String ID32 = "a".repeat(16) + "0123456789ABCDEF";

    static Stream<Arguments> found() {
        return Stream.of(
                // name, TXT records, expected id
                arguments("RFC 8461 example", List.of("v=STSv1; id=20160831085700Z;"), "20160831085700Z"),
                arguments("no trailing semicolon", List.of("v=STSv1; id=20160831085700Z"), "20160831085700Z"),
                arguments("no white space", List.of("v=STSv1;id=abc123"), "abc123"),
                arguments("white space around separators", List.of("v=STSv1 ;  id=abc ; "), "abc"),
                arguments("tabs around separators", List.of("v=STSv1\t;\tid=abc"), "abc"),
                arguments("trailing white space after the last field", List.of("v=STSv1; id=abc  "), "abc"),
                arguments("id of 32 characters", List.of("v=STSv1; id=" + ID32), ID32),
                arguments("id of one character", List.of("v=STSv1; id=7"), "7"),
                arguments("id is case-sensitive and kept as is", List.of("v=STSv1; id=AbC"), "AbC"),
                arguments("extension after id", List.of("v=STSv1; id=abc; ext=value-1"), "abc"),
                arguments("extension before id", List.of("v=STSv1; foo.bar_baz-1=x!#$%; id=abc"), "abc"),
                arguments("repeated id: the first counts", List.of("v=STSv1; id=first; id=second"), "first"),
                arguments("repeated id: a broken later one is not checked", List.of("v=STSv1; id=first; id="), "first"),
                arguments("a later v= field is an extension", List.of("v=STSv1; id=abc; v=STSv2"), "abc"),
                arguments("other TXT records are discarded", List.of("v=spf1 -all", "v=STSv1; id=abc", "google-site-verification=xyz"), "abc"),
                arguments("v=STSv10 is another version, discarded", List.of("v=STSv10; id=other", "v=STSv1; id=abc"), "abc"),
                arguments("a lower-case record is not ours, discarded", List.of("v=stsv1; id=other", "v=STSv1; id=abc"), "abc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("found")
    void findsTheOneRecord(String name, List<String> records, String id) {
        assertThat(StsRecordParser.parse(records)).isEqualTo(new TxtDiscovery.Found<>(new StsRecord(id)));
    }

    static Stream<Arguments> noRecord() {
        return Stream.of(
                arguments("no TXT records at all", List.<String>of()),
                arguments("only SPF", List.of("v=spf1 include:example.com -all")),
                arguments("V in upper case", List.of("V=STSv1; id=abc")),
                arguments("version in lower case", List.of("v=stsv1; id=abc")),
                arguments("leading space", List.of(" v=STSv1; id=abc")),
                arguments("STSv10", List.of("v=STSv10; id=abc")),
                arguments("STSv2", List.of("v=STSv2; id=abc")),
                arguments("TLS-RPT record", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com")),
                arguments("empty string", List.of("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noRecord")
    void discardsRecordsThatAreNotStsV1(String name, List<String> records) {
        assertThat(StsRecordParser.parse(records)).isEqualTo(new TxtDiscovery.NoRecord<>());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // name, TXT records, expected reason substring
                arguments("two records", List.of("v=STSv1; id=abc", "v=STSv1; id=def"), "2 TXT records begin with v=STSv1; exactly one is allowed"),
                arguments("the same record twice", List.of("v=STSv1; id=abc", "v=STSv1; id=abc"), "2 TXT records"),
                arguments("three, one of them broken", List.of("v=STSv1; id=abc", "v=STSv1", "v=STSv1; id=x"), "3 TXT records"),
                arguments("only the version", List.of("v=STSv1"), "has no id field"),
                arguments("version and a semicolon", List.of("v=STSv1;"), "has no id field"),
                arguments("only extensions", List.of("v=STSv1; ext=1"), "has no id field"),
                arguments("ID in upper case", List.of("v=STSv1; ID=abc"), "has no id field (found \"ID\"; names are case-sensitive, \"ID\" is not \"id\")"),
                arguments("empty id", List.of("v=STSv1; id="), "id \"\" is not 1 to 32 letters or digits"),
                arguments("id of 33 characters", List.of("v=STSv1; id=" + ID32 + "x"), "is not 1 to 32 letters or digits"),
                arguments("id with hyphens", List.of("v=STSv1; id=2016-08-31"), "id \"2016-08-31\" is not"),
                arguments("id with an underscore", List.of("v=STSv1; id=a_b"), "id \"a_b\" is not"),
                arguments("id with a dot", List.of("v=STSv1; id=1.0"), "id \"1.0\" is not"),
                arguments("id with non-ASCII letters", List.of("v=STSv1; id=größe"), "id \"größe\" is not"),
                arguments("no separator after the version", List.of("v=STSv1 id=abc"), "must be separated by \";\""),
                arguments("empty field", List.of("v=STSv1;; id=abc"), "an empty field"),
                arguments("two trailing semicolons", List.of("v=STSv1; id=abc;;"), "an empty field"),
                arguments("spaces around =", List.of("v=STSv1; id = abc"), "field name \"id \" is not valid"),
                arguments("field without =", List.of("v=STSv1; id=abc; foo"), "field \"foo\" is not name=value"),
                arguments("field that begins with =", List.of("v=STSv1; =abc; id=x"), "field name \"\" is not valid"),
                arguments("extension name with a leading underscore", List.of("v=STSv1; id=abc; _ext=1"), "field name \"_ext\""),
                arguments("extension name of 33 characters", List.of("v=STSv1; id=abc; " + "e".repeat(33) + "=1"), "is not valid"),
                arguments("extension value with a space", List.of("v=STSv1; id=abc; ext=a b"), "field ext has an invalid value \"a b\""),
                arguments("extension value with =", List.of("v=STSv1; id=abc; ext=a=b"), "field ext has an invalid value \"a=b\""),
                arguments("extension value empty", List.of("v=STSv1; id=abc; ext="), "field ext has an invalid value \"\""),
                arguments("extension value non-ASCII", List.of("v=STSv1; id=abc; ext=é"), "field ext has an invalid value"),
                arguments("extension value with a control character", List.of("v=STSv1; id=abc; ext=a\u0001"), "field ext has an invalid value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidAnnouncements(String name, List<String> records, String reason) {
        assertThat(StsRecordParser.parse(records)).isInstanceOfSatisfying(TxtDiscovery.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains(reason));
    }

    @Test
    void aBrokenForeignRecordDoesNotSpoilOurs() {
        assertThat(StsRecordParser.parse(List.of("v=STSv1; id=abc", "garbage;;;==", "v=DMARC1; p=reject")))
                .isEqualTo(new TxtDiscovery.Found<>(new StsRecord("abc")));
    }
}
