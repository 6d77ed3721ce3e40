package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code queue} commands as an operator types them: a second {@code java -jar relay.jar}
 * process talking to the running relay's admin server, the token from the environment or the
 * config file, nothing on the terminal but the answer (or one line and an exit code).
 */
class QueueCommandsJarTest {

    private static final String TOKEN = "queue-jar-token";
    private static final String TOKEN_VARIABLE = "RELAY_ADMIN_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private record Run(int exitCode, String out, String err) {}

    /** {@code java -jar relay.jar ARGS} with extra environment variables. */
    private Run relayJar(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(RelayProcess.java(), "-jar", RelayProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("cli-" + System.nanoTime() + ".out");
        Path err = work.resolve("cli-" + System.nanoTime() + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove(TOKEN_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("relay.jar " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void listShowAndDeleteThroughTheJarWithTheTokenFromTheEnvironmentOrTheConfig() throws Exception {
        MinimalRelay minimal = MinimalRelay.in(work, Optional.of(TOKEN));
        int adminPort = minimal.adminPort();
        String admin = "127.0.0.1:" + adminPort;
        try (RelayProcess relay = minimal.start(Map.of())) {
            relay.awaitReady(adminPort);
            String id = submit(relay.smtpAddress());
            awaitDeferred(new AdminHttp(new InetSocketAddress("127.0.0.1", adminPort)).token(TOKEN), id);

            Run list = relayJar(Map.of(TOKEN_VARIABLE, TOKEN), "queue", "list", "--admin", admin);
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.err()).isEmpty();
            assertThat(list.out()).startsWith("ID ").contains(id, "deferred", "alice@origin.test", "bob@dest.test  deferred",
                    "-- 1 message, ");

            Run refused = relayJar(Map.of(), "queue", "list", "--admin", admin);
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).isEqualTo("relay: the relay's admin server at " + admin
                    + " refused the request: it needs admin.token (--token or $RELAY_ADMIN_TOKEN)\n");

            Path config = work.resolve("relay.yaml"); // the running relay's own file, token included
            Run show = relayJar(Map.of(), "queue", "show", id, "--config", config.toString());
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.out()).contains("id:           " + id, "  bob@dest.test  deferred", "    last reason: ");

            Run delete = relayJar(Map.of(), "queue", "delete", id, "--config", config.toString());
            assertThat(delete.exitCode()).as(delete.err()).isZero();
            assertThat(delete.out()).isEqualTo(id + ": deleted, no bounce sent\n");
            Run gone = relayJar(Map.of(), "queue", "show", id, "--config", config.toString());
            assertThat(gone.exitCode()).isEqualTo(1);
            assertThat(gone.err()).isEqualTo("relay: no message " + id + " in the queue\n");

            HttpResponse<String> page = new AdminHttp(new InetSocketAddress("127.0.0.1", adminPort)).get("/");
            assertThat(page.statusCode()).as("the status page is public and packaged in the jar").isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"/status.js\" defer></script>");

            assertThat(relay.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void anUnreachableRelayIsOneLineAndExitTwo() throws Exception {
        int nobody = RelayProcess.freePort();
        Run run = relayJar(Map.of(), "queue", "list", "--admin", "127.0.0.1:" + nobody);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("relay: cannot reach the relay's admin server at 127.0.0.1:" + nobody
                + ": connection refused\n");
    }

    private static String submit(InetSocketAddress relay) throws Exception {
        return SmtpTestClient.submit(relay, "alice@origin.test", "bob@dest.test", "Subject: queue\r\n\r\nhello\r\n");
    }

    /** Delivery asks a DNS port where nothing listens: the first attempt defers the recipient. */
    private static void awaitDeferred(AdminHttp http, String id) {
        await("message " + id + " deferred").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    HttpResponse<String> response = http.get("/api/queue/" + id);
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    JsonNode message = JSON.readTree(response.body());
                    assertThat(message.get("recipients").get(0).get("state").asText()).as(message.toString())
                            .isEqualTo("deferred");
                });
    }
}
