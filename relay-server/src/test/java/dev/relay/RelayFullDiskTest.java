package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.SmallDisk;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running relay with its spool on a real small file system (a tmpfs the test mounts when it
 * runs as root, as CI does; skipped otherwise): a full spool answers 452 and holds nothing
 * half-written, readiness and the metrics say so, space coming back resumes accepting without
 * a restart, and a restart with less room than a segment starts, delivers and so frees space.
 */
class RelayFullDiskTest {

    private static final long MB = 1 << 20;
    private static final String MESSAGE = message();

    @TempDir
    Path dir;

    @Test
    void fullSpoolGives452ReadinessFollowsAndFreedSpaceResumesWithoutRestartThenALowRoomRestartDelivers()
            throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 24 * MB);
                TestDnsServer dns = TestDnsServer.start();
                TestMx deferring = TestMx.builder().reply(TestMx.Verb.RCPT, "451 4.3.0 try again later").start();
                TestMx accepting = TestMx.builder().start()) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
            // room for one 12 MB segment above the 2 MB kept free, not for the usual 64 MB
            disk.fillTo(14 * MB);
            Path spool = disk.root().resolve("spool");
            Set<String> accepted = new HashSet<>();

            RelayApplication relay = RelayApplication.start(TestRelayConfig.in(dir).spoolDirectory(spool)
                    .minFreeSpace("2MB").deliveryPort(deferring.port()).dns(dns.hostPort()).load());
            try {
                InetSocketAddress smtp = relay.smtpAddresses().getFirst();
                AdminHttp http = new AdminHttp(relay.adminAddress());
                assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
                assertThat(scrape(http).value("relay_spool_writable")).contains(1.0);

                String refusal = null;
                for (int i = 0; i < 100 && refusal == null; i++) {
                    String reply = submit(smtp);
                    if (reply.startsWith("250")) {
                        accepted.add(queueId(reply));
                    } else {
                        refusal = reply;
                    }
                }
                assertThat(refusal).as("the end of DATA, once the segment is full").startsWith("452 4.3.1");
                assertThat(accepted.size()).as("12 MB of 200 KB messages").isBetween(55, 63);
                assertThat(ids(relay.queue().list())).as("nothing half-written: exactly what got 250").isEqualTo(accepted);
                try (SmtpTestClient client = SmtpTestClient.greeted(smtp)) {
                    client.command("EHLO client.test", 250);
                    assertThat(client.command("MAIL FROM:<alice@origin.test>").last()).startsWith("452 4.3.1");
                }
                HttpResponse<String> ready = http.get("/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("has no room");
                Scrape full = scrape(http);
                assertThat(full.value("relay_spool_writable")).contains(0.0);
                assertThat(full.value("relay_spool_write_failures_total", "reason", "no_space"))
                        .hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(1));
                assertThat(full.value("relay_spool_write_failures_total", "reason", "io_error")).contains(0.0);
                assertThat(full.value("relay_spool_free_bytes")).hasValueSatisfying(
                        free -> assertThat(free).as("the relay kept its reserve").isGreaterThanOrEqualTo(2.0 * MB));
                assertThat(disk.free()).isGreaterThanOrEqualTo(2 * MB);

                // the operator frees space: accepting resumes, no restart
                disk.freeUp(8 * MB);
                await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/health/ready").statusCode() == 200);
                String reply = submit(smtp);
                assertThat(reply).startsWith("250");
                accepted.add(queueId(reply));
                assertThat(scrape(http).value("relay_spool_writable")).contains(1.0);
            } finally {
                relay.stop();
            }

            // less room than a segment, below the reserve even: the relay starts, refuses new
            // mail, delivers what it holds, and the space that frees brings new mail back
            disk.fillTo(2 * MB + MB / 2);
            RelayApplication restarted = RelayApplication.start(TestRelayConfig.in(dir).spoolDirectory(spool)
                    .minFreeSpace("2MB").deliveryPort(accepting.port()).dns(dns.hostPort()).load());
            try {
                AdminHttp http = new AdminHttp(restarted.adminAddress());
                // the spool found at start is read in the background: its messages join the queue when done
                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.queue().recovering().isEmpty());
                assertThat(ids(restarted.queue().list())).isEqualTo(accepted);
                assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);
                // the earlier attempts were deferred for a minute: due now, as `relay queue retry-all` does
                assertThat(http.post("/api/queue/retry-all", "").statusCode()).isEqualTo(200);
                assertThat(accepting.awaitMessages(accepted.size(), Duration.ofSeconds(60))).hasSize(accepted.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.queue().list().isEmpty());
                await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/health/ready").statusCode() == 200);
                assertThat(submit(restarted.smtpAddresses().getFirst())).startsWith("250");
            } finally {
                restarted.stop();
            }
        }
    }

    private static String submit(InetSocketAddress smtp) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.greeted(smtp)) {
            client.command("EHLO client.test", 250);
            String mail = client.command("MAIL FROM:<alice@origin.test>").last();
            if (!mail.startsWith("250")) {
                return mail;
            }
            client.command("RCPT TO:<bob@dest.test>", 250);
            client.command("DATA", 354);
            client.write(SmtpTestClient.dataPayload(MESSAGE));
            return client.readReply().last();
        }
    }

    private static String queueId(String reply) {
        return reply.substring(reply.indexOf("queued as ") + "queued as ".length()).strip();
    }

    private static Set<String> ids(List<QueuedMessage> messages) {
        return messages.stream().map(message -> message.id().value()).collect(Collectors.toSet());
    }

    private static Scrape scrape(AdminHttp http) throws Exception {
        HttpResponse<String> response = http.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }

    /** About 200 KB: under the inline limit, so it lives in a segment. */
    private static String message() {
        StringBuilder text = new StringBuilder("From: <alice@origin.test>\r\nTo: <bob@dest.test>\r\nSubject: big\r\n\r\n");
        String line = "x".repeat(78) + "\r\n";
        for (int i = 0; i < 2500; i++) {
            text.append(line);
        }
        return text.toString();
    }
}
