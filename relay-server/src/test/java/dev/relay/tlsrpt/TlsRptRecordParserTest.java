package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.relay.text.TxtDiscovery;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8460 section 3: the TXT record at {@code _smtp._tls.<domain>}. */
class TlsRptRecordParserTest {

    private static ReportUri mail(String address) {
        return new ReportUri.Mailto(address, "mailto:" + address);
    }

    private static ReportUri https(String uri) {
        return new ReportUri.Https(URI.create(uri), uri);
    }

    static Stream<Arguments> found() {
        return Stream.of(
                // name, TXT records, expected destinations
                arguments("RFC 8460 mailto example", List.of("v=TLSRPTv1;rua=mailto:reports@example.com"),
                        List.of(mail("reports@example.com"))),
                arguments("RFC 8460 https example", List.of("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt"),
                        List.of(https("https://reporting.example.com/v1/tlsrpt"))),
                arguments("two URIs, comma-separated", List.of("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x"),
                        List.of(mail("a@example.com"), https("https://r.example.com/x"))),
                arguments("white space around the comma", List.of("v=TLSRPTv1; rua=mailto:a@example.com ,\thttps://r.example.com/x"),
                        List.of(mail("a@example.com"), https("https://r.example.com/x"))),
                arguments("three URIs keep their order", List.of("v=TLSRPTv1;rua=https://b.example/,mailto:a@example.com,mailto:c@example.com"),
                        List.of(https("https://b.example/"), mail("a@example.com"), mail("c@example.com"))),
                arguments("trailing semicolon and white space", List.of("v=TLSRPTv1 ; rua=mailto:a@example.com ;  "),
                        List.of(mail("a@example.com"))),
                arguments("tabs around separators", List.of("v=TLSRPTv1\t;\trua=mailto:a@example.com"),
                        List.of(mail("a@example.com"))),
                arguments("scheme names are case-insensitive", List.of("v=TLSRPTv1; rua=MAILTO:a@example.com,HTTPS://r.example.com/"),
                        List.of(new ReportUri.Mailto("a@example.com", "MAILTO:a@example.com"),
                                new ReportUri.Https(URI.create("HTTPS://r.example.com/"), "HTTPS://r.example.com/"))),
                arguments("https with a port and a query", List.of("v=TLSRPTv1; rua=https://r.example.com:8443/tls?d=example.com"),
                        List.of(https("https://r.example.com:8443/tls?d=example.com"))),
                arguments("mailto header fields are dropped", List.of("v=TLSRPTv1; rua=mailto:a@example.com?subject=tls"),
                        List.of(new ReportUri.Mailto("a@example.com", "mailto:a@example.com?subject=tls"))),
                arguments("mailto percent-encoding is decoded, + kept", List.of("v=TLSRPTv1; rua=mailto:tls%2Breports+x@example.com"),
                        List.of(new ReportUri.Mailto("tls+reports+x@example.com", "mailto:tls%2Breports+x@example.com"))),
                arguments("mailto with an encoded comma names two addresses", List.of("v=TLSRPTv1; rua=mailto:a@example.com%2Cb@example.org"),
                        List.of(new ReportUri.Mailto("a@example.com", "mailto:a@example.com%2Cb@example.org"),
                                new ReportUri.Mailto("b@example.org", "mailto:a@example.com%2Cb@example.org"))),
                arguments("extension before and after rua", List.of("v=TLSRPTv1; ext.1=x!#$; rua=mailto:a@example.com; foo_bar-2=y"),
                        List.of(mail("a@example.com"))),
                arguments("repeated rua: the first counts", List.of("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com"),
                        List.of(mail("a@example.com"))),
                arguments("repeated rua: a broken later one is not checked", List.of("v=TLSRPTv1; rua=mailto:a@example.com; rua="),
                        List.of(mail("a@example.com"))),
                arguments("other TXT records are discarded", List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@example.com", "v=STSv1; id=1"),
                        List.of(mail("a@example.com"))),
                arguments("v=TLSRPTv10 is another version", List.of("v=TLSRPTv10; rua=mailto:x@example.com", "v=TLSRPTv1; rua=mailto:a@example.com"),
                        List.of(mail("a@example.com"))),
                arguments("a broken foreign record does not spoil ours", List.of("garbage;;==", "v=TLSRPTv1;rua=mailto:a@example.com"),
                        List.of(mail("a@example.com"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("found")
    void findsTheOneRecord(String name, List<String> records, List<ReportUri> destinations) {
        assertThat(TlsRptRecordParser.parse(records)).isInstanceOfSatisfying(TxtDiscovery.Found.class,
                found -> assertThat(((TlsRptRecord) found.record()).destinations()).isEqualTo(destinations));
    }

    @Test
    void otherSchemesAreIgnoredAndListed() {
        TxtDiscovery<TlsRptRecord> discovery = TlsRptRecordParser.parse(
                List.of("v=TLSRPTv1; rua=http://plain.example/r,mailto:a@example.com,ftp://f.example/"));
        assertThat(discovery).isEqualTo(new TxtDiscovery.Found<>(new TlsRptRecord(
                List.of(mail("a@example.com")), List.of("http://plain.example/r", "ftp://f.example/"))));
    }

    @Test
    void theStringsOfOneRecordAreJoinedWithoutASeparator() {
        // a long record split into character-strings, even in the middle of a URI
        TxtDiscovery<TlsRptRecord> discovery = TlsRptRecordParser.parseStrings(List.of(
                List.of("v=TLSRPTv1; rua=mailto:tls-rep", "orts@example.com,https://collector.exa", "mple.net/report")));
        assertThat(discovery).isEqualTo(new TxtDiscovery.Found<>(new TlsRptRecord(
                List.of(mail("tls-reports@example.com"), https("https://collector.example.net/report")), List.of())));
    }

    @Test
    void twoRecordsGivenAsStringsAreStillTwo() {
        assertThat(TlsRptRecordParser.parseStrings(List.of(
                List.of("v=TLSRPTv1; ", "rua=mailto:a@example.com"), List.of("v=TLSRPTv1; rua=mailto:b@example.com"))))
                .isInstanceOf(TxtDiscovery.Invalid.class);
    }

    static Stream<Arguments> noRecord() {
        return Stream.of(
                arguments("no TXT records at all", List.<String>of()),
                arguments("only SPF", List.of("v=spf1 -all")),
                arguments("version in lower case", List.of("v=tlsrptv1; rua=mailto:a@example.com")),
                arguments("V in upper case", List.of("V=TLSRPTv1; rua=mailto:a@example.com")),
                arguments("leading space", List.of(" v=TLSRPTv1; rua=mailto:a@example.com")),
                arguments("TLSRPTv2", List.of("v=TLSRPTv2; rua=mailto:a@example.com")),
                arguments("MTA-STS record", List.of("v=STSv1; id=20160831085700Z")),
                arguments("empty string", List.of("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noRecord")
    void discardsRecordsThatAreNotTlsRptV1(String name, List<String> records) {
        assertThat(TlsRptRecordParser.parse(records)).isEqualTo(new TxtDiscovery.NoRecord<>());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // name, TXT records, expected reason substring
                arguments("two records", List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"),
                        "2 TXT records begin with v=TLSRPTv1; exactly one is allowed"),
                arguments("the same record twice", List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:a@example.com"),
                        "2 TXT records"),
                arguments("a valid and a broken one", List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1"), "2 TXT records"),
                arguments("only the version", List.of("v=TLSRPTv1"), "has no rua field"),
                arguments("version and a semicolon", List.of("v=TLSRPTv1;"), "has no rua field"),
                arguments("only extensions", List.of("v=TLSRPTv1; ruf=mailto:a@example.com"), "has no rua field"),
                arguments("RUA in upper case", List.of("v=TLSRPTv1; RUA=mailto:a@example.com"), "names are case-sensitive"),
                arguments("no separator after the version", List.of("v=TLSRPTv1 rua=mailto:a@example.com"), "must be separated by \";\""),
                arguments("empty field", List.of("v=TLSRPTv1;; rua=mailto:a@example.com"), "an empty field"),
                arguments("two trailing semicolons", List.of("v=TLSRPTv1; rua=mailto:a@example.com;;"), "an empty field"),
                arguments("space before =", List.of("v=TLSRPTv1; rua =mailto:a@example.com"), "field name \"rua \" is not valid"),
                arguments("space after =", List.of("v=TLSRPTv1; rua= mailto:a@example.com"), "is not a URI"),
                arguments("field without =", List.of("v=TLSRPTv1; rua=mailto:a@example.com; foo"), "field \"foo\" is not name=value"),
                arguments("empty rua", List.of("v=TLSRPTv1; rua="), "rua is empty"),
                arguments("trailing comma", List.of("v=TLSRPTv1; rua=mailto:a@example.com,"), "an empty URI"),
                arguments("double comma", List.of("v=TLSRPTv1; rua=mailto:a@example.com,,https://r.example/"), "an empty URI"),
                arguments("URIs separated by a space", List.of("v=TLSRPTv1; rua=mailto:a@example.com https://r.example/"), "is not a valid URI"),
                arguments("a bare address", List.of("v=TLSRPTv1; rua=reports@example.com"), "is not a URI (no scheme"),
                arguments("mailto without an address", List.of("v=TLSRPTv1; rua=mailto:"), "is not a valid URI"),
                arguments("mailto with only header fields", List.of("v=TLSRPTv1; rua=mailto:?subject=x"), "has no mail address"),
                arguments("mailto without a domain", List.of("v=TLSRPTv1; rua=mailto:reports"), "\"reports\" is not a mail address"),
                arguments("mailto with two @", List.of("v=TLSRPTv1; rua=mailto:a@b@example.com"), "is not a mail address"),
                arguments("https without a host", List.of("v=TLSRPTv1; rua=https:/report"), "has no host name"),
                arguments("only schemes we do not send to", List.of("v=TLSRPTv1; rua=http://r.example/,ftp://f.example/"),
                        "rua names no mailto: or https: URI (ignored: http://r.example/, ftp://f.example/)"),
                arguments("extension value with a space", List.of("v=TLSRPTv1; rua=mailto:a@example.com; ext=a b"), "field ext has an invalid value"),
                arguments("extension value empty", List.of("v=TLSRPTv1; rua=mailto:a@example.com; ext="), "field ext has an invalid value \"\""),
                arguments("extension name with a leading dot", List.of("v=TLSRPTv1; rua=mailto:a@example.com; .ext=1"), "field name \".ext\""),
                arguments("extension name of 33 characters", List.of("v=TLSRPTv1; rua=mailto:a@example.com; " + "e".repeat(33) + "=1"),
                        "is not valid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidRecords(String name, List<String> records, String reason) {
        assertThat(TlsRptRecordParser.parse(records)).isInstanceOfSatisfying(TxtDiscovery.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains(reason));
    }
}
