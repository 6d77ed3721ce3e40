package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** The shipped {@code config/logback.xml}: human lines by default, JSON lines with RELAY_LOG_FORMAT=json. */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonFormatWritesOneParsableObjectPerLine() throws Exception {
        List<String> lines = logWith(Optional.of("json"));

        assertThat(lines).hasSize(2);
        JsonNode info = JSON.readTree(lines.get(0));
        assertThat(info.get("level").asText()).isEqualTo("INFO");
        assertThat(info.get("loggerName").asText()).isEqualTo("dev.relay.smtp.server.SmtpSession");
        assertThat(info.get("formattedMessage").asText()).isEqualTo("accepted id=1M8P size=28 client=127.0.0.1");
        assertThat(info.get("timestamp").asLong()).isPositive();
        assertThat(info.has("threadName")).isTrue();
        assertThat(info.has("arguments")).as("the formatted message only").isFalse();

        JsonNode error = JSON.readTree(lines.get(1));
        assertThat(error.get("level").asText()).isEqualTo("ERROR");
        assertThat(error.get("throwable").get("className").asText()).isEqualTo("java.io.IOException");
        assertThat(error.get("throwable").get("message").asText()).isEqualTo("disk on fire");
    }

    @Test
    void theHumanFormatIsTheDefault() throws Exception {
        for (Optional<String> format : List.of(Optional.<String>empty(), Optional.of("text"))) {
            List<String> lines = logWith(format);
            assertThat(lines.getFirst()).as("format %s", format)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  \\[main\\] "
                            + "\\S*SmtpSession - accepted id=1M8P size=28 client=127\\.0\\.0\\.1");
            assertThat(lines.getFirst()).doesNotStartWith("{");
        }
    }

    @Test
    void logFileTakesTheLinesInsteadOfStdout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log").resolve("relay.log");
        List<String> stdout = logWith(Map.of("RELAY_LOG_FILE", file.toString()), 1);

        assertThat(stdout).isEmpty();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.getFirst()).contains(" INFO  [main] ").endsWith("accepted id=1M8P size=28 client=127.0.0.1");
        assertThat(lines.get(1)).contains(" ERROR [main] ").endsWith("spool write failed");
        assertThat(lines).contains("java.io.IOException: disk on fire");
    }

    @Test
    void jsonLinesGoToTheLogFileToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.log");
        assertThat(logWith(Map.of("RELAY_LOG_FILE", file.toString(), "RELAY_LOG_FORMAT", "json"), 1)).isEmpty();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.getFirst()).get("formattedMessage").asText()).isEqualTo("accepted id=1M8P size=28 client=127.0.0.1");
    }

    @Test
    void theLogFileRollsOverAtItsSizeIntoGzippedFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.log");
        logWith(Map.of("RELAY_LOG_FILE", file.toString(), "RELAY_LOG_MAX_FILE_SIZE", "2KB"), 200);

        String today = java.time.LocalDate.now().toString();
        List<Path> rolled;
        try (var listing = Files.list(dir)) {
            rolled = listing.filter(p -> p.getFileName().toString().matches("relay\\.log\\." + today + "\\.\\d+\\.gz")).toList();
        }
        assertThat(rolled).as("rolled files in %s", dir).hasSizeGreaterThan(1);
        // 200 rounds with a stack trace each are several hundred KB: the live file holds the last few
        assertThat(Files.size(file)).isLessThan(16 * 1024);
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(rolled.getFirst()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("accepted id=1M8P");
        }
    }

    private static List<String> logWith(Optional<String> format) throws Exception {
        return logWith(format.map(f -> Map.of("RELAY_LOG_FORMAT", f)).orElse(Map.of()), 1);
    }

    /**
     * Configures a fresh context from the shipped file with these variables, logs {@code rounds}
     * times two lines, stops the context (which waits for rollover compression), and returns
     * what reached stdout.
     */
    private static List<String> logWith(Map<String, String> variables, int rounds) throws Exception {
        URL config = LogFormatTest.class.getResource("/logback.xml");
        assertThat(config).as("config/logback.xml on the class path").isNotNull();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's service provider does for the real one
        // the conditions read context properties before the environment, as they read RELAY_LOG_*
        variables.forEach(context::putProperty);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            assertThat(new StatusUtil(context).getHighestLevel(0))
                    .as("configuration problems: %s", context.getStatusManager().getCopyOfStatusList())
                    .isLessThan(Status.WARN);
            Logger log = context.getLogger("dev.relay.smtp.server.SmtpSession");
            for (int i = 0; i < rounds; i++) {
                log.info("accepted id={} size={} client={}", "1M8P", 28, "127.0.0.1");
                log.error("spool write failed", new java.io.IOException("disk on fire"));
            }
        } finally {
            System.setOut(stdout);
            context.stop();
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("\t")).toList();
    }
}
