package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.config.RelayConfig;
import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.RecoveryPace;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay greets, accepts and delivers while the spool it found at start is still being read
 * (the replay held by a {@link RecoveryPace}, standing for a million queued messages), says so
 * on its status page and queue listing, stays ready, and delivers the old messages once they
 * are read.
 */
class RelayStartupRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theRelayGreetsAcceptsAndDeliversWhileTheOldSpoolIsStillReadAndDeliversTheOldMailAfter() throws Exception {
        List<QueueId> old = queueBeforeStart(3);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reached = new AtomicInteger();
        RecoveryPace held = segment -> {
            reached.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the test's hold was interrupted");
            }
        };
        TestCertificates.Authority ca = TestCertificates.newAuthority("Recovery Test CA");
        try (TestDnsServer dns = TestDnsServer.start();
                TestMx mx = TestMx.builder().starttls(ca.issue("mx.dest.test")).start()) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
            RelayConfig config = TestRelayConfig.in(dir).deliveryPort(mx.port()).dns(dns.hostPort()).load();
            RelayApplication relay = RelayApplication.builder(config).recoveryPace(held).start();
            try {
                // start returned with the replay held before its first segment
                await().atMost(WAIT).until(() -> reached.get() == 1);
                assertThat(release.getCount()).isEqualTo(1);
                assertThat(relay.queue().recovering()).isPresent();
                try (SmtpTestClient client = SmtpTestClient.connect(relay.smtpAddresses().getFirst())) {
                    assertThat(client.expect(220).last()).contains("relay.test");
                }
                AdminHttp http = new AdminHttp(relay.adminAddress());
                assertThat(http.get("/health/ready").statusCode()).as("mail is accepted: ready").isEqualTo(200);
                assertThat(http.get("/api/status").body()).contains("\"recovering\":\"recovering the spool: ");
                assertThat(http.get("/api/queue?limit=10").body()).contains("\"recovering\":");

                String queued = SmtpTestClient.submit(relay.smtpAddresses().getFirst(), "alice@origin.test",
                        "bob@dest.test", "Subject: new\r\n\r\nsent during the replay\r\n");
                QueueId fresh = new QueueId(queued);
                assertThat(old).doesNotContain(fresh);
                ReceivedMessage first = mx.awaitMessages(1, WAIT).getFirst();
                assertThat(first.bodyText()).contains("sent during the replay");

                release.countDown();
                List<ReceivedMessage> all = mx.awaitMessages(1 + old.size(), WAIT);
                assertThat(all).extracting(ReceivedMessage::bodyText)
                        .filteredOn(text -> text.contains("queued before the start")).hasSize(old.size());
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(relay.queue().recovering()).isEmpty();
                    assertThat(relay.queue().list()).extracting(QueuedMessage::id).isEmpty();
                });
                assertThat(http.get("/api/status").body()).doesNotContain("\"recovering\"");
            } finally {
                release.countDown();
                relay.stop();
            }
        }
    }

    /** Messages in the spool before the relay starts, as a previous run left them. */
    private List<QueueId> queueBeforeStart(int count) throws Exception {
        List<QueueId> ids = new ArrayList<>();
        try (SpoolQueue queue = SpoolQueue.open(dir.resolve("spool"), new QueueSettings(RetrySchedule.DEFAULT, 0, 0),
                Clock.systemUTC(), QueueEvents.NONE)) {
            for (int i = 0; i < count; i++) {
                try (MessageDraft draft = queue.newDraft()) {
                    draft.write(("Subject: old " + i + "\r\n\r\nqueued before the start\r\n").getBytes(StandardCharsets.US_ASCII));
                    ids.add(draft.commit(new Envelope("alice@origin.test", List.of(RecipientAddress.of("bob@dest.test")),
                            MailParameters.NONE, java.time.Instant.now(), "127.0.0.1", "client.test", Optional.empty()))
                            .get(30, TimeUnit.SECONDS));
                }
            }
        }
        return ids;
    }
}
