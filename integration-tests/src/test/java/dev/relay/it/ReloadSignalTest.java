package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.smtp.testkit.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built relay.jar and {@code kill -HUP}: the process keeps running (before, SIGHUP ended it
 * with exit 129), re-reads its file, and the next client meets the new relay networks; a bad file
 * on a second SIGHUP is refused with one line while the relay goes on.
 */
class ReloadSignalTest {

    @TempDir
    Path work;

    @Test
    void sighupReloadsTheConfigurationAndTheRelayKeepsRunning() throws Exception {
        MinimalRelay minimal = MinimalRelay.in(work, Optional.empty());
        String config = minimal.config();
        try (RelayProcess relay = minimal.start(Map.of())) {
            relay.awaitReady(minimal.adminPort());
            // a test run under nohup passes on an ignored SIGHUP, which no process can take back
            Assumptions.assumeFalse(log(relay).contains("SIGHUP is ignored in this process"),
                    "SIGHUP is ignored in this test run (nohup): the relay says so and cannot reload on it");
            assertThat(rcptReply(relay)).isEqualTo(250);

            Files.writeString(work.resolve("relay.yaml"), config.replace("relay-networks: [127.0.0.0/8]",
                    "relay-networks: [10.0.0.0/8]"));
            hangUp(relay);
            await().atMost(Duration.ofSeconds(30)).until(() -> log(relay).contains("reload (asked by SIGHUP): applied"));
            assertThat(relay.process().isAlive()).isTrue();
            assertThat(log(relay)).contains("changed relay-networks");
            assertThat(rcptReply(relay)).as("the new networks: 127.0.0.1 may no longer relay").isEqualTo(554);

            Files.writeString(work.resolve("relay.yaml"), config.replace("shutdown-grace: 5s", "shutdown-grace: soon"));
            hangUp(relay);
            await().atMost(Duration.ofSeconds(30)).until(() -> log(relay)
                    .contains("reload (asked by SIGHUP) refused, the running configuration stays in force: shutdown-grace:"));
            assertThat(relay.process().isAlive()).isTrue();
            assertThat(rcptReply(relay)).as("still the networks of the last good file").isEqualTo(554);
            assertThat(relay.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private static void hangUp(RelayProcess relay) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(relay.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String log(RelayProcess relay) throws Exception {
        return Files.readString(relay.logFile(), StandardCharsets.UTF_8);
    }

    private static int rcptReply(RelayProcess relay) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.greeted(relay.smtpAddress())) {
            client.command("EHLO client.test", 250);
            client.command("MAIL FROM:<a@client.test>", 250);
            return client.command("RCPT TO:<b@example.org>").code();
        }
    }
}
