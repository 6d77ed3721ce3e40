package dev.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMessages;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import dev.relay.queue.spool.MemorySpoolStore;
import dev.relay.settings.HostPort;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue API over a real admin server on loopback, in front of a real (in-memory) spool queue. */
class QueueRoutesTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final AtomicInteger wakes = new AtomicInteger();
    private MessageQueue queue;
    private AdminServer server;
    private AdminHttp http;

    @BeforeEach
    void start() throws Exception {
        queue = MemorySpoolStore.queue(new MemorySpoolStore.Contents(), QueueSettings.DEFAULT, clock, QueueEvents.NONE);
        server = startServer(Optional.empty());
        http = new AdminHttp(server.address());
    }

    private AdminServer startServer(Optional<String> token) throws Exception {
        return new QueueRoutes(queue, clock, wakes::incrementAndGet)
                .addTo(AdminServer.builder(new HostPort("127.0.0.1", 0)).token(token)).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        queue.close();
    }

    private QueueId commit(String sender, String... recipients) throws Exception {
        return TestMessages.queue(queue, clock.instant(), sender, TestMessages.SMALL,
                Arrays.stream(recipients).map(RecipientAddress::of).toList());
    }

    /** Delivers the first recipient and defers the others with {@code reply}, as a delivery attempt would. */
    private void attempt(QueueId id, String reply) throws Exception {
        List<QueuedMessage> due = queue.takeDue(clock.instant(), 100);
        due.stream().filter(m -> !m.id().equals(id)).forEach(other -> queue.giveBack(other.id()));
        QueuedMessage taken = due.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        Map<Integer, Outcome> results = new java.util.HashMap<>();
        results.put(0, TestOutcomes.delivered("250 2.0.0 ok"));
        for (int i = 1; i < taken.envelope().recipients().size(); i++) {
            results.put(i, TestOutcomes.deferred(reply));
        }
        queue.recordResults(id, results).get(10, TimeUnit.SECONDS);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).contains(AdminResponse.JSON);
        return AdminJson.mapper().readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(method, path, HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void aListingComesInPagesThatFollowEachOtherByCursor() throws Exception {
        List<String> committed = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            committed.add(commit("alice@origin.test", "r" + i + "@dest.test").value());
            clock.advance(Duration.ofSeconds(1));
        }
        List<String> walked = new java.util.ArrayList<>();
        String path = "/api/queue?limit=2";
        int pages = 0;
        while (true) {
            HttpResponse<String> response = http.get(path);
            assertThat(response.statusCode()).isEqualTo(200);
            QueueReplies.Listing page = AdminJson.mapper().readValue(response.body(), QueueReplies.Listing.class);
            assertThat(page.messages()).hasSizeBetween(1, 2);
            page.messages().forEach(m -> walked.add(m.id()));
            pages++;
            if (page.next().isEmpty()) {
                break;
            }
            path = "/api/queue?limit=2&after=" + page.next().get();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(walked).containsExactlyElementsOf(committed);

        HttpResponse<String> exact = http.get("/api/queue?limit=5");
        assertThat(json(exact).has("next")).as("a page that holds the rest has no next").isFalse();
        assertThat(json(exact).get("messages")).hasSize(5);
    }

    @Test
    void aBadLimitOrCursorIsRefused() throws Exception {
        commit("alice@origin.test", "r@dest.test");
        for (String query : List.of("limit=0", "limit=10001", "limit=many", "limit=5&after=nonsense", "after=1-0-ABCDEF12")) {
            HttpResponse<String> response = http.get("/api/queue?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(query).isNotBlank();
        }
    }

    @Test
    void listShowsEveryMessageOldestFirstWithRecipientStates() throws Exception {
        QueueId first = commit("alice@origin.test", "ok@dest.test", "slow@dest.test");
        clock.advance(Duration.ofSeconds(30));
        QueueId second = commit("", "bob@dest.test");
        attempt(first, "451 4.7.1 greylisted");
        clock.advance(Duration.ofSeconds(15));

        HttpResponse<String> response = http.get("/api/queue");
        assertThat(response.statusCode()).isEqualTo(200);
        QueueReplies.Listing listing = AdminJson.mapper().readValue(response.body(), QueueReplies.Listing.class);
        assertThat(listing.now()).isEqualTo(START.plusSeconds(45));
        assertThat(listing.messages()).extracting(MessageView::id).containsExactly(first.value(), second.value());

        MessageView deferred = listing.messages().get(0);
        assertThat(deferred.ageSeconds()).isEqualTo(45);
        assertThat(deferred.sender()).isEqualTo("alice@origin.test");
        assertThat(deferred.state()).isEqualTo(MessageView.State.DEFERRED);
        assertThat(deferred.attempts()).isEqualTo(1);
        assertThat(deferred.recipients()).extracting(MessageView.RecipientView::address, MessageView.RecipientView::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ok@dest.test", MessageView.RecipientState.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple("slow@dest.test", MessageView.RecipientState.DEFERRED));
        assertThat(deferred.recipients().get(1).lastReason()).contains("451 4.7.1 greylisted");
        assertThat(deferred.nextAttempt()).as("first step of the default retry schedule")
                .contains(START.plusSeconds(30).plus(Duration.ofMinutes(1)));

        MessageView pending = listing.messages().get(1);
        assertThat(pending.sender()).as("the null sender").isEmpty();
        assertThat(pending.state()).isEqualTo(MessageView.State.ACTIVE);
        assertThat(pending.recipients().getFirst().state()).isEqualTo(MessageView.RecipientState.PENDING);
    }

    @Test
    void emptyQueueListsNothing() throws Exception {
        assertThat(json(http.get("/api/queue")).get("messages").size()).isZero();
    }

    @Test
    void showGivesOneMessageAndUnknownOrMalformedIdsAre404() throws Exception {
        QueueId id = commit("alice@origin.test", "bob@dest.test");
        JsonNode shown = json(http.get("/api/queue/" + id));
        assertThat(shown.get("id").asText()).isEqualTo(id.value());
        assertThat(shown.get("recipients").get(0).get("address").asText()).isEqualTo("bob@dest.test");

        HttpResponse<String> unknown = http.get("/api/queue/NOSUCH123");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("no message NOSUCH123 in the queue");
        assertThat(http.get("/api/queue/not-an-id").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/queue/" + id + "/extra").statusCode()).isEqualTo(404);
        for (String action : List.of("retry", "hold", "release")) {
            HttpResponse<String> response = http.post("/api/queue/NOSUCH123/" + action, "");
            assertThat(response.statusCode()).as(action).isEqualTo(404);
            assertThat(json(response).get("error").asText()).contains("NOSUCH123");
        }
        assertThat(send("DELETE", "/api/queue/NOSUCH123").statusCode()).isEqualTo(404);
        assertThat(http.post("/api/queue/" + id + "/frobnicate", "").statusCode()).isEqualTo(404);
        assertThat(wakes).as("nothing was made due").hasValue(0);
    }

    @Test
    void retryMakesDeferredRecipientsDueNowAndWakesDelivery() throws Exception {
        QueueId id = commit("alice@origin.test", "ok@dest.test", "slow@dest.test");
        attempt(id, "451 4.7.1 greylisted");
        assertThat(queue.nextDue()).contains(START.plus(Duration.ofMinutes(1)));

        HttpResponse<String> response = http.post("/api/queue/" + id + "/retry", "");
        assertThat(response.statusCode()).isEqualTo(200);
        MessageView after = AdminJson.mapper().readValue(response.body(), MessageView.class);
        assertThat(after.state()).isEqualTo(MessageView.State.ACTIVE);
        assertThat(after.recipients().get(1).nextAttempt()).contains(START);
        assertThat(queue.nextDue()).contains(START);
        assertThat(wakes).hasValue(1);
    }

    @Test
    void retryAllTouchesEveryMessageButHeldOnes() throws Exception {
        QueueId a = commit("a@origin.test", "ok@dest.test", "slow@dest.test");
        QueueId b = commit("b@origin.test", "ok@dest.test", "slow@dest.test");
        QueueId c = commit("c@origin.test", "ok@dest.test", "slow@dest.test");
        attempt(a, "451 later");
        attempt(b, "451 later");
        attempt(c, "451 later");
        queue.hold(c);

        JsonNode result = json(http.post("/api/queue/retry-all", ""));
        assertThat(result.get("retried").asInt()).isEqualTo(2);
        assertThat(result.get("held").asInt()).isEqualTo(1);
        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).containsExactlyInAnyOrder(a, b);
        assertThat(wakes).hasValue(1);
    }

    @Test
    void holdStopsDeliveryAndReleaseMakesItDueAgain() throws Exception {
        QueueId id = commit("alice@origin.test", "ok@dest.test", "slow@dest.test");
        attempt(id, "451 later");

        MessageView held = AdminJson.mapper().readValue(http.post("/api/queue/" + id + "/hold", "").body(), MessageView.class);
        assertThat(held.state()).isEqualTo(MessageView.State.HELD);
        assertThat(held.recipients().get(1).state()).isEqualTo(MessageView.RecipientState.HELD);
        clock.advance(Duration.ofHours(1));
        assertThat(queue.takeDue(clock.instant(), 10)).as("held: not handed to delivery").isEmpty();
        assertThat(wakes).hasValue(0);

        MessageView released = AdminJson.mapper().readValue(http.post("/api/queue/" + id + "/release", "").body(),
                MessageView.class);
        assertThat(released.state()).isEqualTo(MessageView.State.ACTIVE);
        assertThat(released.recipients().get(1).state()).isEqualTo(MessageView.RecipientState.DEFERRED);
        assertThat(wakes).hasValue(1);
        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void deleteRemovesTheMessage() throws Exception {
        QueueId id = commit("alice@origin.test", "bob@dest.test");
        HttpResponse<String> response = send("DELETE", "/api/queue/" + id);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("id").asText()).isEqualTo(id.value());
        assertThat(queue.find(id)).isEmpty();
        assertThat(http.get("/api/queue/" + id).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/queue/" + id).statusCode()).as("a second delete").isEqualTo(404);
    }

    @Test
    void everyQueueRouteNeedsTheTokenWhenOneIsSet() throws Exception {
        server.close();
        server = startServer(Optional.of("queue-token"));
        QueueId id = commit("alice@origin.test", "bob@dest.test");
        AdminHttp anonymous = new AdminHttp(server.address());
        assertThat(anonymous.get("/api/queue").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/queue/" + id).statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/api/queue/" + id + "/hold", "").statusCode()).isEqualTo(401);
        assertThat(anonymous.send("DELETE", "/api/queue/" + id, HttpRequest.BodyPublishers.noBody()).statusCode())
                .isEqualTo(401);
        assertThat(queue.find(id)).get().extracting(QueuedMessage::held).isEqualTo(false);
        assertThat(new AdminHttp(server.address()).token("queue-token").get("/api/queue/" + id).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aClosedQueueIsA503NotA500() throws Exception {
        queue.close();
        HttpResponse<String> response = http.get("/api/queue");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).contains("not available");
    }

    @Test
    void aFailedRecipientStaysListedWithItsReasonWhileOthersAreOpen() throws Exception {
        QueueId id = commit("alice@origin.test", "gone@dest.test", "slow@dest.test");
        queue.takeDue(clock.instant(), 10);
        queue.recordResults(id, Map.of(0, TestOutcomes.failed("550 5.1.1 no such user"),
                1, TestOutcomes.deferred("421 4.4.2 timeout"))).get(10, TimeUnit.SECONDS);
        MessageView view = AdminJson.mapper().readValue(http.get("/api/queue/" + id).body(), MessageView.class);
        assertThat(view.recipients().get(0).state()).isEqualTo(MessageView.RecipientState.FAILED);
        assertThat(view.recipients().get(0).lastReason()).contains("550 5.1.1 no such user");
        assertThat(queue.find(id).orElseThrow().statuses().get(1)).isInstanceOf(RecipientStatus.Deferred.class);
    }
}
