package dev.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMessages;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.spool.MemorySpoolStore;
import dev.relay.settings.HostPort;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status page's files and its JSON over a real admin server; the browser test shows them rendered. */
class StatusRoutesTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RecentDeliveries deliveries = new RecentDeliveries(clock);
    private MessageQueue queue;
    private AdminServer server;

    /** A fixed view, as the MTA-STS service will provide one. */
    private record FixedView(List<PolicyRow> policies, List<EnforcementFailureRow> recentFailures) implements MtaStsView {}

    private static final MtaStsView VIEW = new FixedView(
            List.of(new MtaStsView.PolicyRow("enforced.test", Optional.of("enforce"),
                    Optional.of(START.plus(Duration.ofDays(7))), Optional.of(START.minusSeconds(60)), Optional.of("ok"),
                    Optional.of("mode enforce, max_age 604800"))),
            List.of(new MtaStsView.EnforcementFailureRow(START.minusSeconds(5), "enforced.test", "mx.rogue.test",
                    "mx-mismatch")));

    @BeforeEach
    void start() throws Exception {
        queue = MemorySpoolStore.queue(new MemorySpoolStore.Contents(), QueueSettings.DEFAULT, clock, QueueEvents.NONE);
        server = start(Optional.empty());
    }

    private AdminServer start(Optional<String> token) throws Exception {
        return new StatusRoutes(queue, deliveries, VIEW, "relay.test", clock)
                .addTo(AdminServer.builder(new HostPort("127.0.0.1", 0)).token(token)).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        queue.close();
    }

    private QueueId commit(String sender) throws Exception {
        return TestMessages.queue(queue, clock.instant(), sender, TestMessages.SMALL, List.of(RecipientAddress.of("bob@dest.test")));
    }

    @Test
    void statusJsonHasTheDnssecCheckAndRequireTlsCounts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>(Map.of("accepted", 4L, "delivered", 3L, "refused", 1L));
        try (AdminServer withBoth = new StatusRoutes(queue, deliveries, VIEW, "relay.test", clock)
                .withDnssec(() -> new StatusReport.Dnssec("validate", StatusReport.Dnssec.BROKEN, "servers strip RRSIGs"))
                .withRequireTls(() -> counts)
                .addTo(AdminServer.builder(new HostPort("127.0.0.1", 0))).start()) {
            counts.put("refused", 2L);

            JsonNode status = AdminJson.mapper().readTree(new AdminHttp(withBoth.address()).get("/api/status").body());

            assertThat(status.get("dnssec").get("state").asText()).isEqualTo("broken");
            assertThat(status.get("dnssec").get("detail").asText()).isEqualTo("servers strip RRSIGs");
            JsonNode requireTls = status.get("require_tls_since_start");
            assertThat(requireTls.get("accepted").asLong()).isEqualTo(4);
            assertThat(requireTls.get("refused").asLong()).as("read at each request").isEqualTo(2);
        }
        JsonNode plain = AdminJson.mapper().readTree(new AdminHttp(server.address()).get("/api/status").body());
        assertThat(plain.get("dnssec").get("state").asText()).isEqualTo("unknown");
        assertThat(plain.get("require_tls_since_start").size()).isZero();
    }

    @Test
    void statusJsonHasQueueDepthOldestMessagesDeliveriesAndMtaSts() throws Exception {
        commit("first@origin.test");
        clock.advance(Duration.ofSeconds(20));
        QueueId second = commit("second@origin.test");
        queue.hold(second);
        clock.advance(Duration.ofSeconds(10));
        deliveries.record(RecentDeliveries.Outcome.DELIVERED);
        deliveries.record(RecentDeliveries.Outcome.DELIVERED);
        deliveries.record(RecentDeliveries.Outcome.BOUNCED);
        deliveries.record(RecentDeliveries.Outcome.DEFERRED);

        HttpResponse<String> response = new AdminHttp(server.address()).get("/api/status");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = AdminJson.mapper().readTree(response.body());
        assertThat(status.get("hostname").asText()).isEqualTo("relay.test");
        assertThat(status.get("now").asText()).isEqualTo("2026-03-01T10:00:30Z");
        JsonNode depth = status.get("queue");
        assertThat(depth.get("total").asLong()).isEqualTo(2);
        assertThat(depth.get("active").asLong()).isEqualTo(1);
        assertThat(depth.get("held").asLong()).isEqualTo(1);
        assertThat(depth.get("deferred").asLong()).isZero();
        assertThat(depth.get("oldest_age_seconds").asLong()).isEqualTo(30);
        assertThat(status.get("oldest").findValuesAsText("sender")).containsExactly("first@origin.test", "second@origin.test");
        assertThat(status.get("oldest").get(1).get("state").asText()).isEqualTo("held");
        JsonNode counts = status.get("deliveries_last_hour");
        assertThat(List.of(counts.get("delivered").asLong(), counts.get("bounced").asLong(), counts.get("expired").asLong(),
                counts.get("deferred").asLong())).containsExactly(2L, 1L, 0L, 1L);
        JsonNode policy = status.get("policies").get(0);
        assertThat(policy.get("domain").asText()).isEqualTo("enforced.test");
        assertThat(policy.get("mode").asText()).isEqualTo("enforce");
        assertThat(policy.get("expires").asText()).isEqualTo("2026-03-08T10:00:00Z");
        assertThat(policy.get("last_fetch_result").asText()).isEqualTo("ok");
        JsonNode failure = status.get("enforcement_failures").get(0);
        assertThat(failure.get("mx").asText()).isEqualTo("mx.rogue.test");
        assertThat(failure.get("reason").asText()).isEqualTo("mx-mismatch");
    }

    @Test
    void anEmptyQueueHasNoOldestAge() throws Exception {
        JsonNode status = AdminJson.mapper().readTree(new AdminHttp(server.address()).get("/api/status").body());
        assertThat(status.get("queue").get("total").asLong()).isZero();
        assertThat(status.get("queue").has("oldest_age_seconds")).isFalse();
        assertThat(status.get("oldest").size()).isZero();
    }

    @Test
    void theOldestListIsCapped() throws Exception {
        for (int i = 0; i < StatusRoutes.OLDEST_SHOWN + 3; i++) {
            commit("s" + i + "@origin.test");
            clock.advance(Duration.ofSeconds(1));
        }
        JsonNode status = AdminJson.mapper().readTree(new AdminHttp(server.address()).get("/api/status").body());
        assertThat(status.get("queue").get("total").asLong()).isEqualTo(StatusRoutes.OLDEST_SHOWN + 3);
        assertThat(status.get("oldest").size()).isEqualTo(StatusRoutes.OLDEST_SHOWN);
        assertThat(status.get("oldest").get(0).get("sender").asText()).isEqualTo("s0@origin.test");
    }

    @Test
    void thePageAndItsFilesAreServedWithTheirTypesAndAStrictPolicy() throws Exception {
        AdminHttp http = new AdminHttp(server.address());
        HttpResponse<String> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains(AdminResponse.HTML);
        assertThat(page.body()).contains("<script src=\"/status.js\" defer></script>",
                "Content-Security-Policy", "default-src 'none'; script-src 'self'");
        assertThat(http.get("/index.html").body()).isEqualTo(page.body());
        HttpResponse<String> script = http.get("/status.js");
        assertThat(script.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("/api/status")
                .as("remote text goes in as text only").doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
                        "document.write");
        assertThat(http.get("/status.css").headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        assertThat(http.get("/no-such-page").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/no-such-thing").statusCode()).isEqualTo(404);
    }

    @Test
    void withATokenThePageIsPublicButItsDataIsNot() throws Exception {
        server.close();
        server = start(Optional.of("page-token"));
        commit("secret-sender@origin.test");
        AdminHttp anonymous = new AdminHttp(server.address());

        HttpResponse<String> page = anonymous.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("secret-sender");
        assertThat(anonymous.get("/status.js").statusCode()).isEqualTo(200);
        HttpResponse<String> data = anonymous.get("/api/status");
        assertThat(data.statusCode()).isEqualTo(401);
        assertThat(data.body()).doesNotContain("secret-sender");
        assertThat(new AdminHttp(server.address()).token("page-token").get("/api/status").body())
                .contains("secret-sender@origin.test");
    }
}
