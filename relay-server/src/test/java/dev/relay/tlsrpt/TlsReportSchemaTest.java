package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.outcome.Cause;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every report the relay makes is valid by the schema written from RFC 8460 section 4; broken ones are not. */
class TlsReportSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TlsRptSettings SETTINGS = new TlsRptSettings(true, "Example Org", "mailto:postmaster@example.org",
            "tls-reports@example.org", "example.org", 4);
    private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    /** A day of mixed sessions: an sts domain with several kinds of failure, a no-policy domain. */
    static TlsReport mixedDay() {
        SessionCounters counters = new SessionCounters(NOON, CounterLimits.DEFAULT);
        for (int i = 0; i < 5; i++) {
            counters.record(Sessions.ok("example.com"));
        }
        counters.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));
        counters.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));
        counters.record(TlsSession.failure("example.com", Sessions.STS, TlsSession.Failure.of(Cause.STARTTLS_NOT_SUPPORTED)
                .withReceivingMx("mx2.backup.example.com", Optional.of("2001:db8::25")).withReceivingMxHelo("mx2")
                .withAdditionalInformation("https://relay.example.org/tls/starttls")));
        counters.record(TlsSession.failure("example.com", Sessions.STS, TlsSession.Failure.of(Cause.STS_POLICY_FETCH_ERROR)
                .withFailureReasonCode("HTTP 404")));
        counters.record(TlsSession.success("example.com", Sessions.STS_TESTING));
        counters.record(TlsSession.success("plain.example", SessionPolicy.none()));
        counters.record(TlsSession.failure("plain.example", SessionPolicy.none(), TlsSession.Failure.of(Cause.STARTTLS_NOT_SUPPORTED)
                .withReceivingMx("mx.plain.example", Optional.of("198.51.100.7"))));
        return TlsReports.build(counters.domain(DAY, "example.com").orElseThrow(), SETTINGS);
    }

    private static JsonNode tree(TlsReport report) throws IOException {
        return JSON.readTree(TlsReportJson.json(report));
    }

    @Test
    void theRfcExampleIsValid() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/tlsrpt/rfc8460-example.json")) {
            assertThat(ReportSchema.errors(JSON.readTree(in))).isEmpty();
        }
    }

    @Test
    void aDayOfMixedSessionsGivesValidReports() throws IOException {
        TlsReport report = mixedDay();
        assertThat(report.policies()).hasSize(2);
        assertThat(ReportSchema.errors(tree(report))).isEmpty();
    }

    @Test
    void theGzipBodyIsTheSameValidReport() throws IOException {
        TlsReport report = mixedDay();
        byte[] unzipped;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(TlsReportJson.gzip(report)))) {
            unzipped = in.readAllBytes();
        }
        assertThat(unzipped).isEqualTo(TlsReportJson.json(report));
        assertThat(ReportSchema.errors(JSON.readTree(unzipped))).isEmpty();
    }

    @Test
    void aNoPolicyReportIsValid() throws IOException {
        SessionCounters counters = new SessionCounters(NOON, CounterLimits.DEFAULT);
        counters.record(TlsSession.success("plain.example", SessionPolicy.none()));
        TlsReport report = TlsReports.build(counters.domain(DAY, "plain.example").orElseThrow(), SETTINGS);
        JsonNode tree = tree(report);
        assertThat(tree.at("/policies/0/policy").has("policy-string")).isFalse();
        assertThat(ReportSchema.errors(tree)).isEmpty();
    }

    /** Each TLS cause the outcome model has is a result type the RFC (and so the schema) knows. */
    @ParameterizedTest
    @EnumSource(Cause.class)
    void everyReportedCauseIsAValidResultType(Cause cause) throws IOException {
        Optional<TlsSession.Failure> reported = TlsSessions.reported(cause);
        SessionCounters counters = new SessionCounters(NOON, CounterLimits.DEFAULT);
        reported.ifPresent(failure -> counters.record(TlsSession.failure("example.com", Sessions.STS,
                failure.withReceivingMx("mx1.example.com", Optional.of("203.0.113.5")))));
        if (cause.kind() == Cause.Kind.TLS) {
            assertThat(reported).isPresent();
        }
        if (reported.isPresent()) {
            JsonNode tree = tree(TlsReports.build(counters.domain(DAY, "example.com").orElseThrow(), SETTINGS));
            assertThat(tree.at("/policies/0/failure-details/0/result-type").asText())
                    .isEqualTo(reported.get().resultType());
            assertThat(ReportSchema.errors(tree)).as("report with %s", cause).isEmpty();
        }
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                arguments("organization-name missing", edit(r -> r.remove("organization-name"))),
                arguments("a misspelt field", edit(r -> r.set("organisation-name", r.remove("organization-name")))),
                arguments("an unknown field", edit(r -> r.put("comment", "hello"))),
                arguments("report-id empty", edit(r -> r.put("report-id", ""))),
                arguments("date-range with an offset", edit(r -> ((ObjectNode) r.get("date-range"))
                        .put("end-datetime", "2026-12-06T23:59:59+01:00"))),
                arguments("date-range as a date only", edit(r -> ((ObjectNode) r.get("date-range")).put("start-datetime", "2026-12-06"))),
                arguments("start-datetime not a real time", edit(r -> ((ObjectNode) r.get("date-range"))
                        .put("start-datetime", "2026-13-45T25:00:00Z"))),
                arguments("no policies", edit(r -> r.putArray("policies"))),
                arguments("policies not a list", edit(r -> r.put("policies", "sts"))),
                arguments("an unknown policy type", edit(r -> policy(r).put("policy-type", "dane"))),
                arguments("sts without its policy strings", edit(r -> policy(r).remove("policy-string"))),
                arguments("sts without mx-host", edit(r -> policy(r).remove("mx-host"))),
                arguments("policy-domain missing", edit(r -> policy(r).remove("policy-domain"))),
                arguments("policy-domain with a space", edit(r -> policy(r).put("policy-domain", "exa mple.com"))),
                arguments("summary missing", edit(r -> ((ObjectNode) r.at("/policies/0")).remove("summary"))),
                arguments("a negative count", edit(r -> ((ObjectNode) r.at("/policies/0/summary"))
                        .put("total-failure-session-count", -1))),
                arguments("a count as a string", edit(r -> ((ObjectNode) r.at("/policies/0/summary"))
                        .put("total-successful-session-count", "5"))),
                arguments("a fractional count", edit(r -> ((ObjectNode) r.at("/policies/0/summary"))
                        .put("total-successful-session-count", 1.5))),
                arguments("an unknown result type", edit(r -> failure(r).put("result-type", "certificate-revoked"))),
                arguments("result-type missing", edit(r -> failure(r).remove("result-type"))),
                arguments("failed-session-count zero", edit(r -> failure(r).put("failed-session-count", 0))),
                arguments("failed-session-count missing", edit(r -> failure(r).remove("failed-session-count"))),
                arguments("receiving-ip not an address", edit(r -> failure(r).put("receiving-ip", "203.0.113.300"))),
                arguments("sending-mta-ip a host name", edit(r -> failure(r).put("sending-mta-ip", "relay.example.org"))),
                arguments("additional-information not a URI", edit(r -> failure(r).put("additional-information", "see the logs"))));
    }

    private static ObjectNode policy(ObjectNode report) {
        return (ObjectNode) report.at("/policies/0/policy");
    }

    private static ObjectNode failure(ObjectNode report) {
        return (ObjectNode) ((ArrayNode) report.at("/policies/0/failure-details")).get(0);
    }

    private static Consumer<ObjectNode> edit(Consumer<ObjectNode> change) {
        return change;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenReportIsRefused(String name, Consumer<ObjectNode> breakage) throws IOException {
        ObjectNode report = (ObjectNode) tree(mixedDay());
        assertThat(ReportSchema.errors(report)).as("before the change").isEmpty();
        breakage.accept(report);
        assertThat(ReportSchema.errors(report)).as("after: %s", name).isNotEmpty();
    }

    @Test
    void theSchemaListsExactlyTheResultTypesOfTheOutcomeModel() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/tlsrpt/tlsrpt-report.schema.json")) {
            schema = JSON.readTree(in);
        }
        List<String> inSchema = JSON.convertValue(schema.at("/$defs/failure-details/properties/result-type/enum"),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        List<String> inModel = Arrays.stream(Cause.values()).flatMap(c -> c.tlsReportResultType().stream()).toList();
        assertThat(inSchema).containsExactlyInAnyOrderElementsOf(inModel);
    }
}
