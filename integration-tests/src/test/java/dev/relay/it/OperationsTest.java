package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.metrics.MetricNames;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built relay.jar as an operator watches it: health checks and a token-guarded /metrics on
 * the admin address, and JSON log lines with RELAY_LOG_FORMAT=json that never carry a message
 * body or a password.
 */
class OperationsTest {

    private static final String TOKEN = "ops-test-token";
    private static final String BODY_MARKER = "body-marker-7f3a9c";
    private static final String PASSWORD = "Sup3r-secret-pw";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void healthMetricsAndJsonLogsOfTheRunningJar() throws Exception {
        MinimalRelay minimal = MinimalRelay.in(work, Optional.of(TOKEN));
        int smtpPort = minimal.smtpPort();
        int adminPort = minimal.adminPort();
        Path log;
        try (RelayProcess relay = minimal.start(Map.of("RELAY_LOG_FORMAT", "json"))) {
            log = relay.logFile();
            relay.awaitReady(adminPort);
            InetSocketAddress admin = new InetSocketAddress("127.0.0.1", adminPort);
            AdminHttp anonymous = new AdminHttp(admin);
            assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(anonymous.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(401);

            submit(relay.smtpAddress());

            HttpResponse<String> metrics = new AdminHttp(admin).token(TOKEN).get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            Scrape scrape = Scrape.parse(metrics.body());
            assertThat(MetricNames.all()).allSatisfy(name -> assertThat(scrape.has(name)).as(name).isTrue());
            String listener = "127.0.0.1:" + smtpPort;
            assertThat(scrape.value("relay_messages_accepted_total", "listener", listener)).contains(1.0);
            // RelayProcess's start-up probe is a connection too, and may have been greeted
            assertThat(scrape.value("relay_smtp_sessions_total", "listener", listener))
                    .hasValueSatisfying(sessions -> assertThat(sessions).isBetween(1.0, 2.0));
            assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();

            assertThat(relay.terminate(Duration.ofSeconds(30))).isZero();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // throws when a line is not JSON
            }
        }
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.has("timestamp")).isTrue();
            assertThat(line.has("level")).isTrue();
            assertThat(line.has("formattedMessage")).isTrue();
        });
        assertThat(lines).extracting(line -> line.get("formattedMessage").asText())
                .anySatisfy(message -> assertThat(message).startsWith("accepted id=").contains("size="))
                .anySatisfy(message -> assertThat(message).startsWith("admin HTTP on 127.0.0.1:" + adminPort));
        String everything = Files.readString(log);
        assertThat(everything).doesNotContain(BODY_MARKER).doesNotContain(PASSWORD).doesNotContain(TOKEN)
                .doesNotContain(Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private static void submit(InetSocketAddress relay) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.greeted(relay)) {
            client.command("EHLO client.test", 250);
            // AUTH is not offered here: the refusal must not echo the credentials into the log
            String credentials = Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(client.command("AUTH PLAIN " + credentials).code()).isBetween(500, 599);
            client.command("MAIL FROM:<alice@origin.test>", 250);
            client.command("RCPT TO:<bob@dest.test>", 250);
            client.command("DATA", 354);
            client.write(SmtpTestClient.dataPayload("Subject: ops\r\n\r\n" + BODY_MARKER + "\r\n"));
            client.expect(250);
            client.command("QUIT", 221);
        }
    }
}
