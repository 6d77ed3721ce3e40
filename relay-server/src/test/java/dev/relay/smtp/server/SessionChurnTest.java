package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.smtp.testkit.SmtpTestClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "seen once": a non-pipelining client (Postfix's smtp-source: one message per
 * connection, each command waiting for its reply) reported "lost connection while sending
 * recipient" once during a benchmark warm-up with 8 sessions. This drives the same pattern, with
 * the production connection limits, and counts every session that ends early by the stage it was
 * in. A relay that closed a session between MAIL and RCPT under this load would show here.
 */
class SessionChurnTest {

    private static final int CLIENTS = 8;
    private static final int MESSAGES = 1000;

    @Test
    void eightNonPipeliningClientsSendingOneMessagePerConnectionLoseNoSession() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().connections(1000, 50).exemptRelayNetworks(false);
        Map<String, Integer> lost = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (TestServer server = fixture.server()) {
            List<Future<Object>> running = IntStream.range(0, CLIENTS).mapToObj(i -> clients.submit(() -> {
                while (next.getAndIncrement() < MESSAGES) {
                    String stage = "connect";
                    try (SmtpTestClient client = server.connect()) {
                        stage = "greeting";
                        expect(client.readReply().text(), "220 ");
                        stage = "EHLO";
                        expect(client.command("EHLO smtp-source.example").text(), "250");
                        stage = "MAIL";
                        expect(client.command("MAIL FROM:<source@example.org>").text(), "250 ");
                        stage = "RCPT";
                        expect(client.command("RCPT TO:<sink@example.com>").text(), "250 ");
                        stage = "DATA";
                        expect(client.command("DATA").text(), "354 ");
                        stage = "content";
                        expect(client.command("Subject: churn\r\n\r\n" + "x".repeat(2000) + "\r\n.").text(), "250 ");
                        stage = "QUIT";
                        expect(client.command("QUIT").text(), "221 ");
                    } catch (IOException | RuntimeException e) {
                        lost.merge(stage + ": " + e.getMessage(), 1, Integer::sum);
                    }
                }
                return null;
            })).toList();
            for (Future<Object> client : running) {
                client.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(lost).as("sessions that ended early, by stage").isEmpty();
        assertThat(fixture.queue.accepted()).hasSize(MESSAGES);
        assertThat(fixture.queue.openDrafts()).isZero();
    }

    private static void expect(String reply, String prefix) {
        if (!reply.startsWith(prefix)) {
            throw new IllegalStateException("unexpected reply " + reply);
        }
    }
}
