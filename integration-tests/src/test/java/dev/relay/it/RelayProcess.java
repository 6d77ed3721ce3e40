package dev.relay.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("relay exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(smtp, 200);
                return new RelayProcess(process, smtp, log);
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("relay did not listen on " + smtp + " within 60 s:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
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
