package dev.relay.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.relay.testkit.ChildRelayYaml;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The console appender that gathers lines: nothing is lost on an orderly stop (the logging
 * context stopping, the JVM exiting, SIGTERM), WARN and ERROR lines are not held back, and INFO
 * lines wait at most the flush interval.
 */
class BufferedConsoleAppenderTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    /** The in-process tests' logging; stopped after each test, which writes out what it holds. */
    private final LoggerContext context = new LoggerContext();
    private PrintStream stdout;

    @BeforeEach
    void captureStdout() {
        stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopLoggingAndRestoreStdout() {
        context.stop();
        System.setOut(stdout);
    }

    @Test
    void infoLinesWaitInTheBufferAndAllReachTheConsoleWhenLoggingStops() {
        Logger log = logger(context, 600_000);

        log.info("accepted id=Q1");
        log.info("delivered id=Q1");
        assertThat(output()).as("held in the buffer, not one write per line").isEmpty();

        context.stop();
        assertThat(output()).containsExactly("INFO accepted id=Q1", "INFO delivered id=Q1");
    }

    @Test
    void aWarningIsWrittenAtOnceWithTheLinesBeforeIt() {
        Logger log = logger(context, 600_000);
        log.info("accepted id=Q1");
        log.warn("spool nearly full");
        assertThat(output()).containsExactly("INFO accepted id=Q1", "WARN spool nearly full");
    }

    @Test
    void infoLinesReachTheConsoleWithinTheFlushInterval() {
        Logger log = logger(context, 50);
        log.info("accepted id=Q1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output()).containsExactly("INFO accepted id=Q1"));
    }

    @Test
    void aFullBufferIsWrittenWithoutWaiting() {
        Logger log = logger(context, 600_000);
        for (int i = 0; i < 1000; i++) { // about 20 KB: more than two 8 KB buffers
            log.info("accepted id=Q{}", i);
        }
        List<String> written = output();
        assertThat(written).hasSizeBetween(1, 999);
        assertThat(written).as("whole lines, in order").isEqualTo(expectedLines(written.size()));

        context.stop();
        assertThat(output()).isEqualTo(expectedLines(1000));
    }

    @Test
    void everyLineIsWrittenWhenTheJvmExits(@TempDir Path dir) throws Exception {
        List<String> lines = child(dir, "exit", false);

        assertThat(lines).as("child stdout").contains("logged");
        assertThat(lines.stream().filter(line -> line.contains("accepted id=")).toList()).isEqualTo(childLines());
    }

    @Test
    void everyLineIsWrittenWhenTheProcessGetsSigterm(@TempDir Path dir) throws Exception {
        List<String> lines = child(dir, "wait", true);

        assertThat(lines.stream().filter(line -> line.contains("accepted id=")).toList()).isEqualTo(childLines());
    }

    @Test
    void theRelaysLastLineIsWrittenBeforeItExitsOnSigterm(@TempDir Path dir) throws Exception {
        int smtpPort = freePort();
        int adminPort = freePort();
        Path config = dir.resolve("relay.yaml");
        Files.writeString(config, ChildRelayYaml.minimal(smtpPort, dir.resolve("spool"), freePort(), dir.resolve("mta-sts"),
                adminPort));
        URL shipped = BufferedConsoleAppenderTest.class.getResource("/logback.xml");
        assertThat(shipped).as("config/logback.xml on the class path").isNotNull();
        Path out = dir.resolve("stdout.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process relay = new ProcessBuilder(java, "-Dlogback.configurationFile=" + shipped, "-cp",
                System.getProperty("java.class.path"), "dev.relay.cli.RelayCommand", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // ready: started, so the SIGTERM below stops a running relay, not one half-way through its start
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build();
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            relay.destroy(); // SIGTERM: the relay's own stop, then it exits 0
            assertThat(relay.waitFor(60, TimeUnit.SECONDS)).as("relay exited").isTrue();
            assertThat(relay.exitValue()).isZero();
        } finally {
            relay.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).as("relay stdout").isNotEmpty();
        assertThat(lines.getLast()).endsWith("relay stopped");
        assertThat(lines).anyMatch(line -> line.contains("stopping: no new connections"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static final int CHILD_LINES = 500; // about 25 KB: the last part stays in the buffer

    /** Runs {@link LogThenWait} in a JVM of its own with a buffer that is never flushed on a timer. */
    private static List<String> child(Path dir, String mode, boolean terminate) throws Exception {
        Path config = dir.resolve("logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="OUT" class="dev.relay.logging.BufferedConsoleAppender">
                    <flushIntervalMillis>600000</flushIntervalMillis>
                    <encoder><pattern>%level %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path out = dir.resolve("stdout.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dlogback.configurationFile=" + config,
                "-cp", System.getProperty("java.class.path"), LogThenWait.class.getName(),
                Integer.toString(CHILD_LINES), mode));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (terminate) {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("logged"));
                List<String> before = Files.readAllLines(out).stream().filter(line -> line.contains("accepted id=")).toList();
                assertThat(before).as("the last lines are still in the child's buffer").hasSizeLessThan(CHILD_LINES);
                process.destroy(); // SIGTERM
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
        } finally {
            process.destroyForcibly();
        }
        return Files.readAllLines(out);
    }

    private static List<String> childLines() {
        return IntStream.range(0, CHILD_LINES).mapToObj(i -> "INFO accepted id=Q" + i + " size=4096 client=127.0.0.1").toList();
    }

    private static List<String> expectedLines(int count) {
        return IntStream.range(0, count).mapToObj(i -> "INFO accepted id=Q" + i).toList();
    }

    private List<String> output() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static Logger logger(LoggerContext context, long flushIntervalMillis) {
        context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's service provider does for the real one
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        BufferedConsoleAppender appender = new BufferedConsoleAppender();
        appender.setContext(context);
        appender.setName("OUT");
        appender.setEncoder(encoder);
        appender.setFlushIntervalMillis(flushIntervalMillis);
        appender.start();
        assertThat(appender.isStarted()).isTrue();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        return context.getLogger("dev.relay.test");
    }
}
