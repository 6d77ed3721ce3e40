package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.cli.CommandRun;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.queue.MutableClock;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import dev.relay.tlsrpt.ReportSchema;
import dev.relay.tlsrpt.testkit.TestCollector;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS reporting through the whole relay on loopback, with a clock the test moves: a day of
 * deliveries to domains with enforced and testing MTA-STS policies and without any, then the
 * day ends and the reports go to an HTTPS collector and, by mail through the relay's own queue,
 * to an MX, and their content is checked against what happened, field by field.
 */
class RelayTlsReportingTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Relay TLS-RPT Test CA");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPORT_BOX = "rpt@reports.test";

    @TempDir
    Path dir;

    @Test
    void aDayOfDeliveriesIsReportedToEveryDomainThatAsksAndToNoOther() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (TestDnsServer dns = TestDnsServer.start();
                TestPolicyServer web = TestPolicyServer.start(CA);
                TestCollector collector = TestCollector.start(CA);
                TestMx mx = TestMx.builder().starttls(CA.issue("mx.good.test"))
                        .certificateFor("mx1.bad.test", TestCertificates.selfSigned("mx1.bad.test").issue())
                        .certificateFor("mx.expiring.test", CA.leaf("mx.expiring.test").expired().issue())
                        .certificateFor("mx.testing.test", TestCertificates.selfSigned("mx.testing.test").issue())
                        .certificateFor("mx.plain.test", CA.issue("mx.plain.test"))
                        .certificateFor("mx.broken.test", CA.issue("mx.broken.test"))
                        .certificateFor("mx.reports.test", TestCertificates.selfSigned("mx.reports.test").issue())
                        .start()) {
            sts(dns, web, "good.test", "enforce", "mx.good.test");
            dns.mx("good.test", 10, "mx.good.test").a("mx.good.test", "127.0.0.1")
                    .txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=" + collector.uri("/good") + ",mailto:" + REPORT_BOX);
            sts(dns, web, "bad.test", "enforce", "mx1.bad.test");
            dns.mx("bad.test", 10, "mx1.bad.test").mx("bad.test", 20, "mx.evil.test").a("mx1.bad.test", "127.0.0.1")
                    .a("mx.evil.test", "127.0.0.1").txt("_smtp._tls.bad.test", "v=TLSRPTv1;rua=" + collector.uri("/bad"));
            sts(dns, web, "expiring.test", "enforce", "mx.expiring.test");
            dns.mx("expiring.test", 10, "mx.expiring.test").a("mx.expiring.test", "127.0.0.1")
                    .txt("_smtp._tls.expiring.test", "v=TLSRPTv1; rua=" + collector.uri("/expiring"));
            sts(dns, web, "testing.test", "testing", "mx.testing.test");
            dns.mx("testing.test", 10, "mx.testing.test").a("mx.testing.test", "127.0.0.1")
                    .txt("_smtp._tls.testing.test", "v=TLSRPTv1; rua=mailto:" + REPORT_BOX);
            dns.mx("plain.test", 10, "mx.plain.test").a("mx.plain.test", "127.0.0.1");
            dns.mx("broken.test", 10, "mx.broken.test").a("mx.broken.test", "127.0.0.1")
                    .txt("_smtp._tls.broken.test", "v=TLSRPTv1; rua=ftp://reports.broken.test/");
            // the reports' own MX fails its domain's enforced policy: report mail goes anyway (RFC 8460 5.3)
            sts(dns, web, "reports.test", "enforce", "mx.elsewhere.test");
            dns.mx("reports.test", 10, "mx.reports.test").a("mx.reports.test", "127.0.0.1");
            collector.answer("/bad", 500);

            RelayConfig config = TestRelayConfig.in(dir).deliveringThrough(dns, mx, web, CA).tlsRpt().load();
            RelayApplication relay = RelayApplication.builder(config).clock(clock).tlsRptTick(Duration.ofMillis(50)).start();
            try {
                String admin = "127.0.0.1:" + relay.adminAddress().getPort();
                for (String domain : List.of("good", "bad", "expiring", "testing", "plain", "broken")) {
                    SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@" + domain + ".test",
                            "Subject: to " + domain + "\r\n\r\nHello.\r\n");
                }
                assertThat(mx.awaitMessages(4, Duration.ofSeconds(30))).hasSize(4);
                JsonNode today = await("six domains counted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> JSON.readTree(CommandRun.succeeding("tls-rpt", "show", "--json", "--admin", admin)),
                                shown -> shown.path("domains").size() == 6 && total(shown, "bad.test", "failures") == 2
                                        && total(shown, "expiring.test", "failures") == 1);
                assertThat(today.path("today").asText()).isEqualTo(day.toString());
                assertThat(total(today, "good.test", "successes")).isEqualTo(1);
                assertThat(total(today, "testing.test", "failures")).as("testing mode: delivered, reported failed").isEqualTo(1);
                assertThat(total(today, "plain.test", "successes")).isEqualTo(1);
                String text = CommandRun.succeeding("tls-rpt", "show", "bad.test", "--admin", admin);
                assertThat(text).contains("bad.test: 0 successful, 2 failed", "1 x certificate-not-trusted at mx1.bad.test [127.0.0.1]",
                        "1 x validation-failure at mx.evil.test (mx-mismatch)").doesNotContain("good.test");
                MeterRegistry registry = relay.metrics().registry();
                assertThat(registry.get("relay.tlsrpt.sessions").tags("policy", "sts", "result", "failure").counter().count())
                        .isEqualTo(4);
                assertThat(registry.get("relay.tlsrpt.sessions").tags("policy", "no-policy-found", "result", "success")
                        .counter().count()).isEqualTo(2);
                assertThat(collector.requests()).as("nothing before the day is over").isEmpty();

                clock.set(day.plusDays(1).atTime(5, 0).toInstant(ZoneOffset.UTC));
                await("the first try at bad.test").atMost(Duration.ofSeconds(30)).until(() -> collector.requests("/bad").size() == 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> collector.requests("/good").size() == 1
                        && collector.requests("/expiring").size() == 1);
                clock.advance(Duration.ofMinutes(2)); // past the first pause after the HTTP 500
                await("the retry at bad.test").atMost(Duration.ofSeconds(30)).until(() -> collector.requests("/bad").size() == 2);

                String stamp = day.format(DateTimeFormatter.BASIC_ISO_DATE);
                JsonNode good = posted(collector.requests("/good").getFirst(), day);
                assertThat(good.path("report-id").asText()).isEqualTo(stamp + ".good.test@relay.test");
                JsonNode goodPolicy = good.path("policies").get(0);
                assertThat(goodPolicy.at("/policy/policy-type").asText()).isEqualTo("sts");
                assertThat(goodPolicy.at("/policy/policy-domain").asText()).isEqualTo("good.test");
                assertThat(strings(goodPolicy.at("/policy/policy-string"))).contains("mode: enforce", "mx: mx.good.test");
                assertThat(strings(goodPolicy.at("/policy/mx-host"))).containsExactly("mx.good.test");
                assertThat(goodPolicy.at("/summary/total-successful-session-count").asLong()).isEqualTo(1);
                assertThat(goodPolicy.at("/summary/total-failure-session-count").asLong()).isZero();
                assertThat(goodPolicy.has("failure-details")).isFalse();

                JsonNode bad = posted(collector.requests("/bad").get(1), day);
                assertThat(bad).isEqualTo(posted(collector.requests("/bad").getFirst(), day));
                JsonNode badPolicy = bad.path("policies").get(0);
                assertThat(badPolicy.at("/summary/total-successful-session-count").asLong()).isZero();
                assertThat(badPolicy.at("/summary/total-failure-session-count").asLong()).isEqualTo(2);
                JsonNode untrusted = detail(badPolicy, "certificate-not-trusted");
                assertThat(untrusted.path("receiving-mx-hostname").asText()).isEqualTo("mx1.bad.test");
                assertThat(untrusted.path("receiving-ip").asText()).isEqualTo("127.0.0.1");
                assertThat(untrusted.path("failed-session-count").asLong()).isEqualTo(1);
                JsonNode mismatch = detail(badPolicy, "validation-failure");
                assertThat(mismatch.path("receiving-mx-hostname").asText()).isEqualTo("mx.evil.test");
                assertThat(mismatch.path("failure-reason-code").asText()).isEqualTo("mx-mismatch");

                JsonNode expiring = posted(collector.requests("/expiring").getFirst(), day);
                JsonNode expired = detail(expiring.path("policies").get(0), "certificate-expired");
                assertThat(expired.path("receiving-mx-hostname").asText()).isEqualTo("mx.expiring.test");

                List<ReceivedMessage> reports = await("two report mails").atMost(Duration.ofSeconds(30))
                        .until(() -> reportMails(mx), list -> list.size() == 2);
                ReceivedMessage goodMail = reports.stream().filter(m -> m.bodyText().contains("TLS-Report-Domain: good.test"))
                        .findFirst().orElseThrow();
                assertThat(goodMail.sender()).isEqualTo("tlsrpt@relay.test");
                JsonNode mailed = mailedReport(goodMail, "good.test", day);
                assertThat(mailed).isEqualTo(good);
                ReceivedMessage testingMail = reports.stream()
                        .filter(m -> m.bodyText().contains("TLS-Report-Domain: testing.test")).findFirst().orElseThrow();
                JsonNode testing = mailedReport(testingMail, "testing.test", day);
                JsonNode testingPolicy = testing.path("policies").get(0);
                assertThat(strings(testingPolicy.at("/policy/policy-string"))).contains("mode: testing");
                assertThat(testingPolicy.at("/summary/total-failure-session-count").asLong()).isEqualTo(1);
                assertThat(detail(testingPolicy, "certificate-not-trusted").path("receiving-mx-hostname").asText())
                        .isEqualTo("mx.testing.test");

                JsonNode after = await("the history of the day's reports").atMost(Duration.ofSeconds(30))
                        .until(() -> JSON.readTree(CommandRun.succeeding("tls-rpt", "show", "--json", "--admin", admin)),
                                shown -> shown.path("reports").size() == 7);
                assertThat(results(after)).containsExactlyInAnyOrder(
                        "good.test " + collector.uri("/good") + " sent", "good.test mailto:" + REPORT_BOX + " queued",
                        "bad.test " + collector.uri("/bad") + " sent", "expiring.test " + collector.uri("/expiring") + " sent",
                        "testing.test mailto:" + REPORT_BOX + " queued", "plain.test  no-record", "broken.test  invalid-record");
                assertThat(after.path("waiting_reports").isInt()).isTrue();
                assertThat(after.path("waiting_reports").asInt()).isZero();
                for (JsonNode domain : after.path("domains")) {
                    assertThat(domain.path("domain").asText()).as("the loop guard: report mail is not counted")
                            .isNotEqualTo("reports.test");
                }
                assertThat(registry.get("relay.tlsrpt.reports").tags("transport", "https", "result", "sent").counter().count())
                        .isEqualTo(3);
                assertThat(registry.get("relay.tlsrpt.reports").tags("transport", "mailto", "result", "sent").counter().count())
                        .isEqualTo(2);
                assertThat(collector.requests()).as("no report to plain.test (no record) or broken.test (invalid)")
                        .hasSize(4);
                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + admin + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode status = JSON.readTree(page.body());
                assertThat(status.path("tls_reports").size()).as("the status page lists the day's reports").isEqualTo(7);
                assertThat(status.path("tls_reports").get(0).path("day").asText()).isEqualTo(day.toString());
            } finally {
                relay.stop();
            }
        }
    }

    @Test
    void sendNowReportsTodaySoFarAndCountsAndHistorySurviveARestart() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (TestDnsServer dns = TestDnsServer.start();
                TestCollector collector = TestCollector.start(CA);
                TestMx mx = TestMx.builder().starttls(CA.issue("mx.good.test")).start()) {
            dns.mx("good.test", 10, "mx.good.test").a("mx.good.test", "127.0.0.1")
                    .txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=" + collector.uri("/good"));
            RelayConfig config = TestRelayConfig.in(dir).deliveryPort(mx.port()).dns(dns.hostPort())
                    .extraTrust(CA.writeTrustPem(dir.resolve("ca.pem"))).tlsRpt().load();
            String sentLine = "good.test to " + collector.uri("/good") + " sent (HTTP 200)";
            RelayApplication first = RelayApplication.builder(config).clock(clock).tlsRptTick(Duration.ofMillis(50)).start();
            try {
                SmtpTestClient.submit(first.smtpAddresses().getFirst(), "alice@origin.test", "bob@good.test",
                        "Subject: one\r\n\r\nHello.\r\n");
                mx.awaitMessages(1, Duration.ofSeconds(30));
                String admin = "127.0.0.1:" + first.adminAddress().getPort();
                await().atMost(Duration.ofSeconds(30)).until(() -> CommandRun.succeeding("tls-rpt", "show", "--admin", admin)
                        .contains("good.test: 1 successful, 0 failed"));

                assertThat(CommandRun.succeeding("tls-rpt", "send", "--now", "--admin", admin)).contains("good.test (" + LocalDate.ofInstant(
                        clock.instant(), ZoneOffset.UTC) + " so far)");
                await().atMost(Duration.ofSeconds(30)).until(() -> collector.requests("/good").size() == 1);
                JsonNode report = JSON.readTree(collector.requests("/good").getFirst().gunzipped());
                assertThat(ReportSchema.errors(report)).isEmpty();
                assertThat(report.at("/policies/0/policy/policy-type").asText()).isEqualTo("no-policy-found");
                assertThat(report.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(1);
                assertThat(report.at("/date-range/end-datetime").asText())
                        .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
                await().atMost(Duration.ofSeconds(30)).until(() -> CommandRun.succeeding("tls-rpt", "show", "--admin", admin).contains(sentLine));
            } finally {
                first.stop();
            }
            RelayApplication second = RelayApplication.builder(config).clock(clock).tlsRptTick(Duration.ofMillis(50)).start();
            try {
                String admin = "127.0.0.1:" + second.adminAddress().getPort();
                String shown = CommandRun.succeeding("tls-rpt", "show", "--admin", admin);
                assertThat(shown).as("today's counts stay for the day's report, over a restart")
                        .contains("good.test: 1 successful, 0 failed");
                assertThat(shown).as("the history of reports survives the restart").contains(sentLine);
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void withReportingOffNothingIsCountedAndSendSaysWhy() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(CA.issue("mx.good.test")).start()) {
            dns.mx("good.test", 10, "mx.good.test").a("mx.good.test", "127.0.0.1");
            RelayConfig config = TestRelayConfig.in(dir).deliveryPort(mx.port()).dns(dns.hostPort())
                    .extraTrust(CA.writeTrustPem(dir.resolve("ca.pem"))).load();
            RelayApplication relay = RelayApplication.start(config);
            try {
                SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test", "bob@good.test",
                        "Subject: one\r\n\r\nHello.\r\n");
                mx.awaitMessages(1, Duration.ofSeconds(30));
                String admin = "127.0.0.1:" + relay.adminAddress().getPort();
                assertThat(CommandRun.succeeding("tls-rpt", "show", "--admin", admin)).startsWith("TLS reporting is off (tls-rpt.enabled: false)");
                CommandRun send = CommandRun.of("tls-rpt", "send", "--now", "--admin", admin);
                assertThat(send.exitCode()).isEqualTo(1);
                assertThat(send.err()).contains("TLS reporting is off on this relay");
                assertThat(relay.metrics().registry().get("relay.tlsrpt.sessions").tags("policy", "no-policy-found",
                        "result", "success").counter().count()).isZero();
                assertThat(dir.resolve("spool").resolve("tlsrpt")).doesNotExist();
            } finally {
                relay.stop();
            }
        }
    }

    private static void sts(TestDnsServer dns, TestPolicyServer web, String domain, String mode, String mxPattern) {
        dns.a("mta-sts." + domain, "127.0.0.1").txt("_mta-sts." + domain, "v=STSv1; id=1");
        web.domain(domain).policy("version: STSv1\nmode: " + mode + "\nmx: " + mxPattern + "\nmax_age: 604800\n");
    }

    private static long total(JsonNode shown, String domain, String field) {
        for (JsonNode d : shown.path("domains")) {
            if (d.path("domain").asText().equals(domain)) {
                return d.path(field).asLong();
            }
        }
        return -1;
    }

    /** A POSTed report: gzip'd, the right media type, valid by the schema, of the whole day. */
    private static JsonNode posted(TestCollector.Request request, LocalDate day) throws IOException {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/tlsrpt+gzip");
        JsonNode report = JSON.readTree(request.gunzipped());
        assertWholeDay(report, day);
        return report;
    }

    private static void assertWholeDay(JsonNode report, LocalDate day) {
        assertThat(ReportSchema.errors(report)).isEmpty();
        assertThat(report.path("organization-name").asText()).isEqualTo("Relay Test Org");
        assertThat(report.path("contact-info").asText()).isEqualTo("tlsrpt@relay.test");
        assertThat(report.at("/date-range/start-datetime").asText()).isEqualTo(day + "T00:00:00Z");
        assertThat(report.at("/date-range/end-datetime").asText()).isEqualTo(day + "T23:59:59Z");
    }

    private static JsonNode detail(JsonNode policy, String resultType) {
        for (JsonNode detail : policy.path("failure-details")) {
            if (detail.path("result-type").asText().equals(resultType)) {
                return detail;
            }
        }
        throw new AssertionError("no " + resultType + " in " + policy);
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(node -> list.add(node.asText()));
        return list;
    }

    private static List<String> results(JsonNode shown) {
        List<String> list = new ArrayList<>();
        shown.path("reports").forEach(r -> list.add(r.path("domain").asText() + " " + r.path("destination").asText() + " "
                + r.path("result").asText()));
        return list;
    }

    private static List<ReceivedMessage> reportMails(TestMx mx) {
        return mx.messages().stream().filter(m -> m.recipients().contains(REPORT_BOX)).toList();
    }

    /** The mail's structure as RFC 8460 5.3 has it, and the report it carries. */
    private static JsonNode mailedReport(ReceivedMessage mail, String domain, LocalDate day) throws IOException {
        String text = mail.bodyText();
        String stamp = day.format(DateTimeFormatter.BASIC_ISO_DATE);
        String unfolded = text.replaceAll("\r\n[ \t]+", " ");
        assertThat(unfolded).contains("Subject: Report Domain: " + domain + " Submitter: relay.test Report-ID: <" + stamp + "."
                        + domain + "@relay.test>\r\n",
                "TLS-Report-Domain: " + domain + "\r\n", "TLS-Report-Submitter: relay.test\r\n",
                "From: <tlsrpt@relay.test>\r\n", "MIME-Version: 1.0\r\n");
        Matcher type = Pattern.compile("Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"([^\"]+)\"")
                .matcher(unfolded);
        assertThat(type.find()).as("multipart/report with report-type tlsrpt").isTrue();
        String boundary = type.group(1);
        String[] parts = text.split("\r\n--" + Pattern.quote(boundary));
        assertThat(parts).as("preamble, text, report, closing").hasSize(4);
        assertThat(parts[1]).contains("Content-Type: text/plain");
        String attachment = parts[2].replaceAll("\r\n[ \t]+", " ");
        long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        assertThat(attachment).contains("Content-Type: application/tlsrpt+gzip", "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"relay.test!" + domain + "!" + start + "!" + (start + 86_399)
                        + ".json.gz\"");
        assertThat(parts[3]).startsWith("--");
        String base64 = attachment.substring(attachment.indexOf("\r\n\r\n") + 4).replaceAll("\\s", "");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            JsonNode report = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertWholeDay(report, day);
            return report;
        }
    }
}
