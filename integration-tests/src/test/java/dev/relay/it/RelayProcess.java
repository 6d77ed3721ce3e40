package dev.relay.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The built relay.jar running in its own JVM, as a user would run it, on a config the test
 * writes. Stdout and stderr go to a log file in the work directory.
 */
public final class RelayProcess implements AutoCloseable {

    private final Process process;
    private final InetSocketAddress smtp;
    private final Path log;

    private RelayProcess(Process process, InetSocketAddress smtp, Path log) {
        this.process = process;
        this.smtp = smtp;
        this.log = log;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("relay.jar", "../relay-server/target/relay.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build through `mvn verify` so it is packaged first");
        }
        return jar;
    }

    public static String java() {
        return System.getProperty("relay.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the relay with the given YAML config and waits until its SMTP port answers. */
    public static RelayProcess start(Path workDir, String configYaml, int smtpPort, List<String> jvmArgs)
            throws IOException, InterruptedException {
        return start(workDir, configYaml, smtpPort, jvmArgs, Map.of());
    }

    /** The same, with extra environment variables for the relay's process (e.g. RELAY_LOG_FORMAT). */
    public static RelayProcess start(Path workDir, String configYaml, int smtpPort, List<String> jvmArgs,
            Map<String, String> environment) throws IOException, InterruptedException {
        Path config = workDir.resolve("relay.yaml");
        Files.writeString(config, configYaml);
        Path log = workDir.resolve("relay-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        command.add("run");
        command.add("--config");
        command.add(config.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        InetSocketAddress smtp = new InetSocketAddress("127.0.0.1", smtpPort);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .failFast("the relay exited", () -> !process.isAlive())
                    .until(() -> listening(smtp));
            return new RelayProcess(process, smtp, log);
        } catch (TerminalFailureException exited) {
            throw new IllegalStateException("relay exited with " + process.waitFor() + ":\n" + Files.readString(log), exited);
        } catch (ConditionTimeoutException timeout) {
            process.destroyForcibly();
            throw new IllegalStateException("relay did not listen on " + smtp + " within 60 s:\n" + Files.readString(log), timeout);
        }
    }

    private static boolean listening(InetSocketAddress address) {
        try (Socket probe = new Socket()) {
            probe.connect(address, 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    public InetSocketAddress smtpAddress() {
        return smtp;
    }

    public Path logFile() {
        return log;
    }

    public Process process() {
        return process;
    }

    /**
     * Waits until the admin server on {@code adminPort} answers {@code /health/ready} with 200:
     * the relay binds it after the SMTP listeners that {@link #start} waits for.
     */
    public void awaitReady(int adminPort) throws IOException, InterruptedException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).proxy(java.net.http.HttpClient.Builder.NO_PROXY).build();
        java.net.http.HttpRequest ready = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .failFast("the relay exited", () -> !process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class) // not bound yet
                    .until(() -> client.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException notReady) {
            throw new IllegalStateException("the admin server on port " + adminPort + " never became ready:\n"
                    + Files.readString(log), notReady);
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait for the exit code. */
    public int terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("relay did not stop within " + wait + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
