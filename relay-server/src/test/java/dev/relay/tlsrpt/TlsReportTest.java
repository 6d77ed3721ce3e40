package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.relay.outcome.Cause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import dev.relay.queue.MutableClock;
import org.junit.jupiter.api.Test;

/** The report's JSON field by field (RFC 8460 section 4.4). */
class TlsReportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TlsRptSettings SETTINGS = new TlsRptSettings(true, "Example Org", "mailto:postmaster@example.org",
            "tls-reports@example.org", "example.org", 4);
    private static final LocalDate DAY = LocalDate.of(2016, 4, 1);

    @Test
    void theReportSaysWhatWasCounted() throws IOException {
        SessionCounters counters = new SessionCounters(new MutableClock(Instant.parse("2016-04-01T08:00:00Z")), CounterLimits.DEFAULT);
        counters.record(Sessions.ok("company-y.example"));
        counters.record(Sessions.ok("company-y.example"));
        counters.record(TlsSession.failure("company-y.example", Sessions.STS, TlsSession.Failure.of(Cause.VALIDATION_FAILURE)
                .withReceivingMx("mx-backup.mail.company-y.example", Optional.of("203.0.113.58"))
                .withSendingMtaIp("198.51.100.62").withFailureReasonCode("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED")));

        TlsReport report = TlsReports.build(counters.domain(DAY, "company-y.example").orElseThrow(), SETTINGS);
        JsonNode json = JSON.readTree(TlsReportJson.json(report));

        assertThat(json.get("organization-name").asText()).isEqualTo("Example Org");
        assertThat(json.at("/date-range/start-datetime").asText()).isEqualTo("2016-04-01T00:00:00Z");
        assertThat(json.at("/date-range/end-datetime").asText()).isEqualTo("2016-04-01T23:59:59Z");
        assertThat(json.get("contact-info").asText()).isEqualTo("mailto:postmaster@example.org");
        assertThat(json.get("report-id").asText()).isEqualTo("20160401.company-y.example@example.org");
        assertThat(json.get("policies")).hasSize(1);
        JsonNode policy = json.at("/policies/0/policy");
        assertThat(policy.get("policy-type").asText()).isEqualTo("sts");
        assertThat(JSON.convertValue(policy.get("policy-string"), List.class)).containsExactly(
                "version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: *.backup.example.com", "max_age: 86400");
        assertThat(policy.get("policy-domain").asText()).isEqualTo("company-y.example");
        assertThat(JSON.convertValue(policy.get("mx-host"), List.class)).containsExactly("mx1.example.com", "*.backup.example.com");
        assertThat(json.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(json.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
        JsonNode failure = json.at("/policies/0/failure-details/0");
        assertThat(failure.get("result-type").asText()).isEqualTo("validation-failure");
        assertThat(failure.get("sending-mta-ip").asText()).isEqualTo("198.51.100.62");
        assertThat(failure.get("receiving-mx-hostname").asText()).isEqualTo("mx-backup.mail.company-y.example");
        assertThat(failure.get("receiving-ip").asText()).isEqualTo("203.0.113.58");
        assertThat(failure.get("failed-session-count").asLong()).isEqualTo(1);
        assertThat(failure.get("failure-reason-code").asText()).isEqualTo("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
        // unknown fields are left out, not written as null
        assertThat(failure.has("receiving-mx-helo")).isFalse();
        assertThat(failure.has("additional-information")).isFalse();
        assertThat(new String(TlsReportJson.json(report), StandardCharsets.UTF_8)).doesNotContain("null");
    }

    @Test
    void fieldsComeInTheRfcOrder() throws IOException {
        SessionCounters counters = new SessionCounters(new MutableClock(Instant.parse("2016-04-01T08:00:00Z")), CounterLimits.DEFAULT);
        counters.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));
        JsonNode json = JSON.readTree(TlsReportJson.json(TlsReports.build(counters.domain(DAY, "example.com").orElseThrow(), SETTINGS)));
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("organization-name", "date-range", "contact-info", "report-id", "policies");
        assertThat(json.at("/policies/0/policy").fieldNames()).toIterable()
                .containsExactly("policy-type", "policy-string", "policy-domain", "mx-host");
        assertThat(json.at("/policies/0/failure-details/0").fieldNames()).toIterable()
                .containsExactly("result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-ip", "failed-session-count");
    }

    @Test
    void aLeapDayAndTheLastDayOfTheYearHaveTheirOwnRange() {
        assertThat(TlsReport.DateRange.of(LocalDate.of(2028, 2, 29)))
                .isEqualTo(new TlsReport.DateRange("2028-02-29T00:00:00Z", "2028-02-29T23:59:59Z"));
        assertThat(TlsReport.DateRange.of(LocalDate.of(2026, 12, 31)))
                .isEqualTo(new TlsReport.DateRange("2026-12-31T00:00:00Z", "2026-12-31T23:59:59Z"));
    }

    @Test
    void theStsPolicyStringsAreTheLinesOfThePolicyAsServed() {
        SessionPolicy policy = SessionPolicy.sts("version: STSv1\r\nmode: testing\n\nmx: a.example\r\nmax_age: 604800", List.of("a.example"));
        assertThat(policy.policyStrings()).containsExactly("version: STSv1", "mode: testing", "mx: a.example", "max_age: 604800");
    }
}
