package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.smtp.testkit.SmtpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network.io} on a system where the native transports cannot run, as inside a container
 * whose seccomp profile forbids io_uring. Netty's {@code io.netty.transport.noNative} stands in
 * for such a system: with it neither io_uring nor epoll loads.
 */
class NetworkIoJarTest {

    private static final String NO_NATIVE = "-Dio.netty.transport.noNative=true";

    @TempDir
    Path work;

    @Test
    void autoFallsBackToNioAndTakesMail() throws Exception {
        MinimalRelay minimal = MinimalRelay.in(work, Optional.empty());
        try (RelayProcess relay = RelayProcess.start(work, minimal.config(), minimal.smtpPort(), List.of(NO_NATIVE))) {
            String queued = SmtpTestClient.submit(relay.smtpAddress(), "a@client.test", "b@example.test",
                    "Subject: on nio\r\n\r\nhello\r\n");

            assertThat(queued).isNotBlank();
            // the relay writes its log in batches: the start line reaches the file a moment later
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(Files.readString(relay.logFile())).contains("transport=nio"));
        }
    }

    @Test
    void aNamedTransportTheSystemRefusesStopsTheStartAndSaysWhy() throws Exception {
        MinimalRelay minimal = MinimalRelay.in(work, Optional.empty());
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, minimal.config() + "network:\n  io: io-uring\n");
        Path out = work.resolve("out.txt");
        Process process = new ProcessBuilder(RelayProcess.java(), NO_NATIVE, "-jar",
                RelayProcess.jar().toAbsolutePath().toString(), "run", "--config", config.toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the relay stops by itself").isTrue();

        String output = Files.readString(out);
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("relay: network.io is io-uring, which this system does not allow (")
                .contains("set it to auto to use the best available")
                .doesNotContain("Exception", "\tat ");
        assertThat(work.resolve("spool")).doesNotExist();

        // config check, run on the same system beforehand, would have said so
        Path checked = work.resolve("check.txt");
        Process check = new ProcessBuilder(RelayProcess.java(), NO_NATIVE, "-jar",
                RelayProcess.jar().toAbsolutePath().toString(), "config", "check", "--config", config.toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(checked.toFile()).start();
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(Files.readString(checked)).isZero();
        assertThat(Files.readString(checked)).contains("# warning: network.io is io-uring, which this system does not allow (");
    }
}
