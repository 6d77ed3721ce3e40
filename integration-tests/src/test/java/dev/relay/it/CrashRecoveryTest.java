package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueuedMessage;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise behind every 250: the relay runs in its own JVM with several clients sending,
 * is killed with SIGKILL at random moments, and restarted on the same spool. Every message
 * that was acknowledged must be in the spool byte for byte, and no message twice.
 */
class CrashRecoveryTest {

    private static final int KILLS = 24;
    private static final int CLIENTS = 6;
    private static final Pattern TOKEN = Pattern.compile("X-Crash-Token: (\\S+)");

    @TempDir
    Path work;

    @Test
    void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        Path spool = work.resolve("spool");
        int totalStored = 0;

        for (int cycle = 0; cycle < KILLS; cycle++) {
            int port = RelayProcess.freePort();
            String config = RelayConfigs.minimal(port, spool, work.resolve("mta-sts"));
            try (RelayProcess relay = RelayProcess.start(work, config, port, List.of("-Xmx256m"))) {
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                AtomicInteger sequence = new AtomicInteger();
                int thisCycle = cycle;
                // every fourth cycle is killed while still starting up and recovering; the others once
                // a random number of messages went through (so a slow, busy machine still tests
                // something), plus a random moment
                boolean duringStartup = cycle % 4 == 3;
                int acknowledgedBefore = acknowledged.size();
                int minimumThisCycle = duringStartup ? 0 : 1 + random.nextInt(30);
                long killAfterMillis = duringStartup ? 0 : random.nextInt(400);
                for (int c = 0; c < CLIENTS; c++) {
                    long clientSeed = random.nextLong();
                    Thread client = Thread.ofPlatform().name("crash-client-" + c).start(() ->
                            sendUntilKilled(relay, thisCycle, sequence, new Random(clientSeed), stop, acknowledged));
                    clients.add(client);
                }
                try {
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                            .until(() -> acknowledged.size() - acknowledgedBefore >= minimumThisCycle);
                } catch (ConditionTimeoutException slowMachine) {
                    // patience only: killing after fewer messages still tests the recovery
                }
                // kept as a sleep: the random moment of the kill is what this test varies, not a condition
                Thread.sleep(killAfterMillis);
                relay.kill();
                stop.set(true);
                for (Thread client : clients) {
                    client.join(Duration.ofSeconds(30));
                }
            }
            totalStored = verifySpool(spool, acknowledged, seed, cycle);
        }

        assertThat(acknowledged).as("the test must have had mail acknowledged to prove anything").hasSizeGreaterThan(100);
        assertThat(totalStored).isGreaterThanOrEqualTo(acknowledged.size());
    }

    private static void sendUntilKilled(RelayProcess relay, int cycle, AtomicInteger sequence, Random random,
            AtomicBoolean stop, Map<String, byte[]> acknowledged) {
        while (!stop.get()) {
            try (SmtpTestClient client = SmtpTestClient.connect(relay.smtpAddress(), 10_000)) {
                if (client.readReply().code() != 220 || client.command("EHLO crash.test").code() != 250) {
                    return;
                }
                while (!stop.get()) {
                    String token = "c" + cycle + "n" + sequence.incrementAndGet();
                    String body = messageBody(token, random);
                    if (client.command("MAIL FROM:<sender@crash.test>").code() != 250
                            || client.command("RCPT TO:<rcpt" + random.nextInt(5) + "@example.test>").code() != 250
                            || client.command("DATA").code() != 354) {
                        return;
                    }
                    client.write(SmtpTestClient.dataPayload(body));
                    SmtpTestClient.Reply reply = client.readReply();
                    if (reply.code() == 250) {
                        acknowledged.put(token, body.getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException | RuntimeException killed) {
                // the relay went away mid-conversation: exactly what this test provokes
            }
        }
    }

    private static String messageBody(String token, Random random) {
        StringBuilder body = new StringBuilder();
        body.append("From: sender@crash.test\r\nTo: rcpt@example.test\r\nSubject: crash ").append(token)
                .append("\r\nX-Crash-Token: ").append(token).append("\r\n\r\n");
        // mostly small messages, now and then one large enough to leave the inline path
        int lines = random.nextInt(20) == 0 ? 4000 + random.nextInt(2000) : 20 + random.nextInt(100);
        for (int i = 0; i < lines; i++) {
            body.append(token).append(" line ").append(i).append(" ").append(Long.toHexString(random.nextLong()))
                    .append(i % 17 == 0 ? "\r\n.leading dot survives\r\n" : "\r\n");
        }
        return body.toString();
    }

    /** Opens the spool as the relay would at start, in this JVM, and checks the promise. */
    private static int verifySpool(Path spool, Map<String, byte[]> acknowledged, long seed, int cycle)
            throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, byte[]> stored = new HashMap<>();
        try (MessageQueue queue = RelayConfigs.openSpool(spool)) {
            for (QueuedMessage message : queue.list()) {
                byte[] body;
                try (InputStream in = queue.openBody(message.id())) {
                    body = in.readAllBytes();
                }
                Matcher m = TOKEN.matcher(new String(body, StandardCharsets.UTF_8));
                assertThat(m.find()).as("stored message %s carries a token", message.id()).isTrue();
                String token = m.group(1);
                seen.merge(token, 1, Integer::sum);
                stored.put(token, body);
            }
        }
        String context = "seed " + seed + ", after kill " + (cycle + 1);
        assertThat(seen).as("no message stored twice (%s)", context).allSatisfy((token, count) -> assertThat(count).isOne());
        for (Map.Entry<String, byte[]> ack : acknowledged.entrySet()) {
            assertThat(stored).as("acknowledged %s is in the spool (%s)", ack.getKey(), context).containsKey(ack.getKey());
            byte[] body = stored.get(ack.getKey());
            String storedText = new String(body, StandardCharsets.UTF_8);
            String sentText = new String(ack.getValue(), StandardCharsets.UTF_8);
            assertThat(storedText).as("%s byte for byte after our Received header (%s)", ack.getKey(), context)
                    .startsWith("Received: ")
                    .endsWith(sentText);
        }
        return stored.size();
    }
}
