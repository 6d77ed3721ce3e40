package dev.relay.tlsrpt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One aggregate TLS report (RFC 8460 section 4) for one policy domain and one UTC day, shaped as
 * its JSON: the component names are the report's field names, see {@link TlsReportJson}.
 */
@JsonPropertyOrder({"organization-name", "date-range", "contact-info", "report-id", "policies"})
public record TlsReport(
        @JsonProperty("organization-name") String organizationName,
        @JsonProperty("date-range") DateRange dateRange,
        @JsonProperty("contact-info") String contactInfo,
        @JsonProperty("report-id") String reportId,
        @JsonProperty("policies") List<PolicyReport> policies) {

    public TlsReport {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(dateRange, "dateRange");
        Objects.requireNonNull(contactInfo, "contactInfo");
        Objects.requireNonNull(reportId, "reportId");
        policies = List.copyOf(policies);
    }

    /** RFC 3339 date-times in UTC, to the second: {@code 2016-04-01T00:00:00Z}. */
    @JsonPropertyOrder({"start-datetime", "end-datetime"})
    public record DateRange(
            @JsonProperty("start-datetime") String startDatetime,
            @JsonProperty("end-datetime") String endDatetime) {

        private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

        public DateRange {
            Objects.requireNonNull(startDatetime, "startDatetime");
            Objects.requireNonNull(endDatetime, "endDatetime");
        }

        /** A whole UTC day, ending at its last second as the RFC's example does ({@code 23:59:59Z}). */
        public static DateRange of(LocalDate day) {
            Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            return between(start, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1));
        }

        /** From {@code start} to {@code end}, both to the second (a report of today so far). */
        public static DateRange between(Instant start, Instant end) {
            return new DateRange(RFC_3339.format(start.atOffset(ZoneOffset.UTC)), RFC_3339.format(end.atOffset(ZoneOffset.UTC)));
        }

        /** The start as an instant (for the mail attachment's name). */
        public Instant start() {
            return Instant.parse(startDatetime);
        }

        public Instant end() {
            return Instant.parse(endDatetime);
        }
    }

    @JsonPropertyOrder({"policy", "summary", "failure-details"})
    public record PolicyReport(
            @JsonProperty("policy") ReportedPolicy policy,
            @JsonProperty("summary") Summary summary,
            @JsonProperty("failure-details") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FailureDetails> failureDetails) {

        public PolicyReport {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(summary, "summary");
            failureDetails = List.copyOf(failureDetails);
        }
    }

    /** {@code policy-string} and {@code mx-host} are left out when empty (no-policy-found has neither). */
    @JsonPropertyOrder({"policy-type", "policy-string", "policy-domain", "mx-host"})
    public record ReportedPolicy(
            @JsonProperty("policy-type") String policyType,
            @JsonProperty("policy-string") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> policyString,
            @JsonProperty("policy-domain") String policyDomain,
            @JsonProperty("mx-host") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mxHost) {

        public ReportedPolicy {
            Objects.requireNonNull(policyType, "policyType");
            policyString = List.copyOf(policyString);
            Objects.requireNonNull(policyDomain, "policyDomain");
            mxHost = List.copyOf(mxHost);
        }

        static ReportedPolicy of(String domain, SessionPolicy policy) {
            return new ReportedPolicy(policy.type().label(), policy.policyStrings(), domain, policy.mxHosts());
        }
    }

    @JsonPropertyOrder({"total-successful-session-count", "total-failure-session-count"})
    public record Summary(
            @JsonProperty("total-successful-session-count") long totalSuccessfulSessionCount,
            @JsonProperty("total-failure-session-count") long totalFailureSessionCount) {}

    /** One §4.4 failure group; optional fields are left out when unknown. */
    @JsonPropertyOrder({"result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip",
            "failed-session-count", "additional-information", "failure-reason-code"})
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record FailureDetails(
            @JsonProperty("result-type") String resultType,
            @JsonProperty("sending-mta-ip") Optional<String> sendingMtaIp,
            @JsonProperty("receiving-mx-hostname") Optional<String> receivingMxHostname,
            @JsonProperty("receiving-mx-helo") Optional<String> receivingMxHelo,
            @JsonProperty("receiving-ip") Optional<String> receivingIp,
            @JsonProperty("failed-session-count") long failedSessionCount,
            @JsonProperty("additional-information") Optional<String> additionalInformation,
            @JsonProperty("failure-reason-code") Optional<String> failureReasonCode) {

        public FailureDetails {
            Objects.requireNonNull(resultType, "resultType");
            Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
            Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
            Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
            Objects.requireNonNull(receivingIp, "receivingIp");
            Objects.requireNonNull(additionalInformation, "additionalInformation");
            Objects.requireNonNull(failureReasonCode, "failureReasonCode");
        }

        static FailureDetails of(TlsSession.Failure failure, long count) {
            return new FailureDetails(failure.resultType(), failure.sendingMtaIp(), failure.receivingMxHostname(),
                    failure.receivingMxHelo(), failure.receivingIp(), count, failure.additionalInformation(),
                    failure.failureReasonCode());
        }
    }
}
