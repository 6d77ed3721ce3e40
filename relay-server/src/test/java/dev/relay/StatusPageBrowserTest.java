package dev.relay;

import static dev.relay.admin.testkit.HeadlessChromium.isHidden;
import static dev.relay.admin.testkit.HeadlessChromium.rows;
import static dev.relay.admin.testkit.HeadlessChromium.textOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.MtaStsView;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.admin.testkit.HeadlessChromium;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a person sees it: a running relay that has delivered, bounced and deferred
 * mail, loaded in headless Chromium, the DOM read after its script has fetched and rendered the
 * status. Skipped only when no chromium binary exists (.ci/run installs Debian's).
 */
class StatusPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SCRIPT_BUDGET = Duration.ofSeconds(5);
    private static final String GREYLISTED = "451 4.7.1 greylisted, try again later";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>.evil.test";
    private static final String MESSAGE = "Subject: status page\r\n\r\nhello\r\n";

    @TempDir
    Path dir;

    private HeadlessChromium chromium;
    private TestDnsServer dns;
    private TestMx mx;
    private RelayApplication relay;

    /** What the MTA-STS service will provide; here one policy and one failure with remote text that looks like markup. */
    private record FixedView(List<PolicyRow> policies, List<EnforcementFailureRow> recentFailures) implements MtaStsView {}

    private static final MtaStsView VIEW = new FixedView(
            List.of(new MtaStsView.PolicyRow("enforced.test", Optional.of("enforce"),
                            Optional.of(Instant.now().plus(Duration.ofDays(7))), Optional.of(Instant.now()), Optional.of("ok"),
                            Optional.of("mode enforce, max_age 604800")),
                    new MtaStsView.PolicyRow("broken.test", Optional.empty(), Optional.empty(), Optional.of(Instant.now()),
                            Optional.of("tls_error"), Optional.of("certificate expired"))),
            List.of(new MtaStsView.EnforcementFailureRow(Instant.now(), HOSTILE, "mx.rogue.test",
                    "certificate-host-mismatch")));

    @BeforeEach
    void start() throws Exception {
        Optional<HeadlessChromium> found = HeadlessChromium.find();
        assumeTrue(found.isPresent(), "no chromium binary on the PATH (.ci/run installs Debian's chromium package)");
        chromium = found.get();
        dns = TestDnsServer.start();
        dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
        mx = TestMx.builder()
                .reply(TestMx.Verb.RCPT, "slow@", GREYLISTED)
                .reply(TestMx.Verb.RCPT, "gone@", "550 5.1.1 no such user")
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        if (mx != null) {
            mx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    /** Two delivered, one bounced (from the null sender, so no DSN follows), one deferred and still queued. */
    private void startRelayWithMail(TestRelayConfig config) throws Exception {
        relay = RelayApplication.builder(config.dns(dns.hostPort()).deliveryPort(mx.port()).load()).mtaStsView(VIEW).start();
        var smtp = relay.smtpAddresses().getFirst();
        SmtpTestClient.submit(smtp, "alice@origin.test", "ok@dest.test", MESSAGE);
        SmtpTestClient.submit(smtp, "alice@origin.test", "ok@dest.test", MESSAGE);
        SmtpTestClient.submit(smtp, "", "gone@dest.test", MESSAGE);
        SmtpTestClient.submit(smtp, "carol@origin.test", "slow@dest.test", MESSAGE);
    }

    /** Waits until the relay's own status says all four messages have been tried. */
    private void awaitOutcomes(AdminHttp http) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode status = AdminJson.mapper().readTree(http.get("/api/status").body());
            JsonNode counts = status.get("deliveries_last_hour");
            assertThat(List.of(counts.get("delivered").asLong(), counts.get("bounced").asLong(),
                    status.get("queue").get("total").asLong())).as(status.toString()).containsExactly(2L, 1L, 1L);
            assertThat(counts.get("deferred").asLong()).as(status.toString()).isPositive();
        });
    }

    private URI page(String fragment) {
        return URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + "/" + fragment);
    }

    @Test
    void aPersonSeesQueueDepthOutcomesTheDeferredMessageAndMtaSts() throws Exception {
        startRelayWithMail(TestRelayConfig.in(dir));
        awaitOutcomes(new AdminHttp(relay.adminAddress()));

        String dom = chromium.dumpDom(page(""), SCRIPT_BUDGET);

        assertThat(isHidden(dom, "status")).as("the status is shown:\n%s", dom).isFalse();
        assertThat(isHidden(dom, "login")).isTrue();
        assertThat(textOf(dom, "hostname")).isEqualTo("relay.test");
        assertThat(textOf(dom, "queue-total")).isEqualTo("1");
        assertThat(textOf(dom, "queue-deferred")).isEqualTo("1");
        assertThat(textOf(dom, "queue-held")).isEqualTo("0");
        assertThat(textOf(dom, "queue-oldest")).matches("\\d+s|\\d+m \\d\\ds");
        assertThat(textOf(dom, "deliveries-delivered")).isEqualTo("2");
        assertThat(textOf(dom, "deliveries-bounced")).isEqualTo("1");
        assertThat(textOf(dom, "deliveries-expired")).isEqualTo("0");
        assertThat(Integer.parseInt(textOf(dom, "deliveries-deferred"))).isGreaterThanOrEqualTo(1);
        assertThat(textOf(dom, "dnssec")).isEqualTo("delivery.dns.dnssec: off; DANE never applies (TLSA records are not looked up)");
        assertThat(textOf(dom, "requiretls-accepted")).isEqualTo("0");
        assertThat(textOf(dom, "requiretls-refused")).isEqualTo("0");

        List<List<String>> oldest = rows(dom, "oldest");
        assertThat(oldest).hasSize(1);
        assertThat(oldest.getFirst()).element(2).isEqualTo("deferred");
        assertThat(oldest.getFirst()).element(3).isEqualTo("carol@origin.test");
        assertThat(oldest.getFirst()).element(4).isEqualTo("slow@dest.test (deferred)");
        assertThat(oldest.getFirst()).element(5).isEqualTo(GREYLISTED);

        List<List<String>> policies = rows(dom, "policies");
        assertThat(policies).hasSize(2);
        assertThat(policies.get(0)).element(0).isEqualTo("enforced.test");
        assertThat(policies.get(0)).element(1).isEqualTo("enforce");
        assertThat(policies.get(0).get(2)).contains("UTC (in 6d 23h)");
        assertThat(policies.get(0)).element(4).isEqualTo("ok: mode enforce, max_age 604800");
        assertThat(policies.get(1)).element(0).isEqualTo("broken.test");
        assertThat(policies.get(1)).element(1).isEqualTo("none cached");
        assertThat(policies.get(1)).element(2).isEqualTo("");
        assertThat(policies.get(1)).element(4).isEqualTo("tls_error: certificate expired");

        List<List<String>> failures = rows(dom, "failures");
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst()).element(1).as("remote text shown as text")
                .isEqualTo("&lt;img src=x onerror=alert(1)&gt;.evil.test");
        assertThat(failures.getFirst()).element(2).isEqualTo("mx.rogue.test");
        assertThat(failures.getFirst()).element(3).isEqualTo("certificate-host-mismatch");
        assertThat(dom).as("no element was made from remote text").doesNotContain("<img");
    }

    @Test
    void withATokenThePageAsksForItAndShowsTheStatusOnceGiven() throws Exception {
        startRelayWithMail(TestRelayConfig.in(dir).token("browser-token"));
        awaitOutcomes(new AdminHttp(relay.adminAddress()).token("browser-token"));

        String withoutToken = chromium.dumpDom(page(""), SCRIPT_BUDGET);
        assertThat(isHidden(withoutToken, "login")).as("the token form is shown:\n%s", withoutToken).isFalse();
        assertThat(isHidden(withoutToken, "status")).isTrue();
        assertThat(withoutToken).doesNotContain("carol@origin.test");

        String withToken = chromium.dumpDom(page("#token=browser-token"), SCRIPT_BUDGET);
        assertThat(isHidden(withToken, "status")).as("the status is shown:\n%s", withToken).isFalse();
        assertThat(isHidden(withToken, "login")).isTrue();
        assertThat(textOf(withToken, "queue-total")).isEqualTo("1");
        assertThat(rows(withToken, "oldest").getFirst()).element(3).isEqualTo("carol@origin.test");

        String wrongToken = chromium.dumpDom(page("#token=not-the-token"), SCRIPT_BUDGET);
        assertThat(isHidden(wrongToken, "login")).isFalse();
        assertThat(textOf(wrongToken, "problem")).isEqualTo("The admin token was refused.");
        assertThat(wrongToken).doesNotContain("carol@origin.test");
    }
}
