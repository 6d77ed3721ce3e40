package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.cli.CommandRun;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code queue} command against a running relay: real SMTP in, a loopback MX that
 * greylists one recipient (so mail stays deferred), the admin API on a random loopback port.
 */
class RelayQueueCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GREYLISTED = "451 4.7.1 greylisted, try again later";
    private static final String MESSAGE = "Subject: queue test\r\n\r\nhello\r\n";

    @TempDir
    Path dir;

    private TestDnsServer dns;
    private TestMx mx;
    private RelayApplication relay;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
        mx = TestMx.builder().reply(TestMx.Verb.RCPT, "slow@", GREYLISTED).start();
    }

    private void startRelay(TestRelayConfig config) throws Exception {
        relay = RelayApplication.start(config.dns(dns.hostPort()).deliveryPort(mx.port()).load());
    }

    private void startRelay() throws Exception {
        startRelay(TestRelayConfig.in(dir));
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        mx.close();
        dns.close();
    }

    private String admin() {
        InetSocketAddress address = relay.adminAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** {@code queue ARGS --admin HOST:PORT}. */
    private CommandRun queue(String... args) {
        List<String> all = new ArrayList<>(List.of("queue"));
        all.addAll(List.of(args));
        all.add("--admin");
        all.add(admin());
        return CommandRun.of(all.toArray(String[]::new));
    }

    /** What a run that must succeed (exit code 0, nothing on stderr) printed. */
    private static String output(CommandRun result) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
        assertThat(result.err()).isEmpty();
        return result.out();
    }

    private static void assertOneLineError(CommandRun result, int exitCode, String... fragments) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isEqualTo(exitCode);
        String err = result.err().strip();
        assertThat(err.lines().count()).as("one line: %s", err).isEqualTo(1);
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ").contains(fragments);
    }

    /** The relay as {@link #startRelay()} starts it, holding one message from alice@origin.test deferred; its id. */
    private String startRelayWithDeferredMessage() throws Exception {
        startRelay();
        return deferredMessage("alice@origin.test");
    }

    /** Submits to slow@ (greylisted) and waits until the first attempt has deferred it. */
    private String deferredMessage(String sender) throws Exception {
        String id = SmtpTestClient.submit(relay.smtpAddresses().getFirst(), sender, "slow@dest.test", MESSAGE);
        awaitMessage(id, message -> message.statuses().getFirst() instanceof RecipientStatus.Deferred);
        return id;
    }

    private void awaitMessage(String id, java.util.function.Predicate<QueuedMessage> condition) {
        await("message " + id + " in the expected state").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> relay.queue().find(new QueueId(id)).filter(condition).isPresent());
    }

    private int rcptsFor(String recipient) {
        return (int) mx.commands("RCPT").stream().filter(c -> c.line().contains(recipient)).count();
    }

    /** Waits for the MX to have seen {@code total} RCPTs for slow@ (the only recipient these tests defer). */
    private void awaitAttemptsOnSlow(int total) {
        mx.awaitCommands("RCPT", total, WAIT);
        assertThat(rcptsFor("slow@")).isEqualTo(total);
    }

    @Test
    void listPrintsEachMessageWithItsRecipientsStateNextAttemptAndReason() throws Exception {
        startRelay();
        assertThat(queue("list").out()).isEqualTo("Mail queue is empty\n");
        String id = deferredMessage("alice@origin.test");

        String result = output(queue("list"));
        List<String> lines = result.lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("AGE", "SIZE", "STATE", "SENDER");
        assertThat(lines.get(1)).startsWith(id).contains("deferred", "alice@origin.test");
        assertThat(lines.get(2)).contains("slow@dest.test  deferred, next attempt ").contains("(in ");
        assertThat(lines.get(3)).isEqualTo("        (" + GREYLISTED + ")");
        assertThat(lines.get(4)).startsWith("-- 1 message, ");
    }

    @Test
    void listComesInPagesAndTheLastLineGivesTheNextCommand() throws Exception {
        startRelay();
        String first = deferredMessage("alice@origin.test");
        String second = deferredMessage("bob@origin.test");

        String page = output(queue("list", "--limit", "1"));
        List<String> lines = page.lines().toList();
        assertThat(lines.get(1)).startsWith(first);
        assertThat(page).doesNotContain(second);
        String last = lines.getLast();
        assertThat(last).startsWith("-- more messages follow: queue list --limit 1 --after ");
        String cursor = last.substring(last.lastIndexOf(' ') + 1);

        String next = output(queue("list", "--limit", "1", "--after", cursor));
        assertThat(next.lines().toList().get(1)).startsWith(second);
        assertThat(next).doesNotContain(first).doesNotContain("more messages follow");

        assertOneLineError(queue("list", "--limit", "0"), 2, "--limit");
        assertOneLineError(queue("list", "--limit", "1", "--after", "nonsense"), 2, "cursor");
    }

    @Test
    void listJsonIsTheApiAnswer() throws Exception {
        String id = startRelayWithDeferredMessage();

        String result = output(queue("list", "--json"));
        JsonNode message = AdminJson.mapper().readTree(result).get("messages").get(0);
        assertThat(message.get("id").asText()).isEqualTo(id);
        assertThat(message.get("sender").asText()).isEqualTo("alice@origin.test");
        assertThat(message.get("state").asText()).isEqualTo("deferred");
        assertThat(message.get("age_seconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(message.get("size").asLong()).isPositive();
        assertThat(message.get("next_attempt").asText()).isNotEmpty();
        JsonNode recipient = message.get("recipients").get(0);
        assertThat(recipient.get("address").asText()).isEqualTo("slow@dest.test");
        assertThat(recipient.get("state").asText()).isEqualTo("deferred");
        assertThat(recipient.get("last_reason").asText()).isEqualTo(GREYLISTED);
    }

    @Test
    void showPrintsOneMessageInDetail() throws Exception {
        String id = startRelayWithDeferredMessage();

        String result = output(queue("show", id));
        assertThat(result).contains("id:           " + id, "state:        deferred",
                "sender:       alice@origin.test", "attempts:     1", "  slow@dest.test  deferred",
                "    last reason: " + GREYLISTED, "    next attempt: ");

        String json = output(queue("show", id, "--json"));
        assertThat(AdminJson.mapper().readTree(json).get("id").asText()).isEqualTo(id);
    }

    @Test
    void retryTriesTheMessageAgainAtOnce() throws Exception {
        String id = startRelayWithDeferredMessage();
        assertThat(rcptsFor("slow@")).isEqualTo(1);

        String result = output(queue("retry", id));
        assertThat(result).isEqualTo(id + ": retry requested, open recipients due now\n");
        // the retry schedule's next step is a minute away: only the retry (and its wake-up) explains a second try now
        awaitAttemptsOnSlow(2);
    }

    @Test
    void retryAllTriesEveryMessageAgain() throws Exception {
        startRelay();
        deferredMessage("alice@origin.test");
        deferredMessage("carol@origin.test");
        assertThat(rcptsFor("slow@")).isEqualTo(2);

        String result = output(queue("retry", "--all"));
        assertThat(result).isEqualTo("retry requested for 2 messages\n");
        awaitAttemptsOnSlow(4);
    }

    @Test
    void retryNeedsAnIdOrAll() throws Exception {
        startRelay();
        assertThat(queue("retry").exitCode()).isEqualTo(2);
    }

    @Test
    void holdKeepsAMessageBackAndReleaseSendsItOnItsWay() throws Exception {
        String id = startRelayWithDeferredMessage();

        String held = output(queue("hold", id));
        assertThat(held).isEqualTo(id + ": on hold\n");
        assertThat(relay.queue().find(new QueueId(id))).get().extracting(QueuedMessage::held).isEqualTo(true);
        assertThat(queue("list").out()).contains(" held ", "slow@dest.test  held");
        assertThat(queue("show", id).out()).contains("next attempt: none: on hold");
        String retryHeld = output(queue("retry", id));
        assertThat(retryHeld).contains("on hold: due once released");

        String released = output(queue("release", id));
        assertThat(released).isEqualTo(id + ": released, open recipients due now\n");
        awaitAttemptsOnSlow(2);
    }

    @Test
    void deleteRemovesTheMessageWithoutABounce() throws Exception {
        String id = startRelayWithDeferredMessage();

        String result = output(queue("delete", id));
        assertThat(result).isEqualTo(id + ": deleted, no bounce sent\n");
        assertThat(relay.queue().find(new QueueId(id))).isEmpty();
        assertThat(relay.queue().list()).as("no DSN was queued for the sender").isEmpty();
        assertThat(queue("list").out()).isEqualTo("Mail queue is empty\n");
    }

    @Test
    void anUnknownIdIsOneLineAndExitOne() throws Exception {
        startRelay();
        for (String[] command : List.of(new String[] {"show", "NOSUCH123"}, new String[] {"retry", "NOSUCH123"},
                new String[] {"hold", "NOSUCH123"}, new String[] {"release", "NOSUCH123"},
                new String[] {"delete", "NOSUCH123"})) {
            assertOneLineError(queue(command), 1, "no message NOSUCH123 in the queue");
        }
        assertOneLineError(queue("show", "../health"), 1, "no message '../health' in the queue");
    }

    @Test
    void anUnreachableRelayIsOneClearLineAndExitTwo() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertOneLineError(CommandRun.of("queue", "list", "--admin", "127.0.0.1:" + closed), 2,
                "relay: cannot reach the relay's admin server at 127.0.0.1:" + closed + ": connection refused");
        assertOneLineError(CommandRun.of("queue", "list", "--admin", "nonsense"), 2, "--admin: expected HOST:PORT");
    }

    @Test
    void aWrongOrMissingTokenIsRefusedAndTheRightOneWorks() throws Exception {
        startRelay(TestRelayConfig.in(dir).token("right-token"));
        deferredMessage("alice@origin.test");

        assertOneLineError(queue("list", "--token", "wrong-token"), 2, "refused the request: wrong admin token");
        assertOneLineError(queue("list"), 2, "refused the request: it needs admin.token");
        String right = output(queue("list", "--token", "right-token"));
        assertThat(right).contains("alice@origin.test");
    }

    @Test
    void theAdminAddressAndTokenComeFromTheConfigFile() throws Exception {
        startRelay(TestRelayConfig.in(dir).token("config-token"));
        String id = deferredMessage("alice@origin.test");
        // the file the relay runs with names port 0; an operator's file names the real port
        Path config = Files.writeString(dir.resolve("cli.yaml"), """
                admin:
                  address: %s
                  token: config-token
                """.formatted(admin()));

        String result = output(CommandRun.of("queue", "show", id, "--config", config.toString()));
        assertThat(result).contains("id:           " + id);
        assertOneLineError(CommandRun.of("queue", "list", "--config", config.toString(), "--token", "not-it"), 2, "wrong admin token");
    }
}
