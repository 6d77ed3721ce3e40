package dev.relay.it.docker;

import dev.relay.it.RelayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a relay.jar command (not {@code run}) in its own JVM, as the container's CMD would. */
final class RelayCli {
    private RelayCli() {}

    record Result(int exitCode, String stdout, String stderr) {}

    /**
     * @param environment {@code RELAY_*} variables for the command; the test JVM's own
     *     {@code RELAY_*} variables are not passed on, so they cannot change the outcome
     */
    static Result run(Path workDir, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RelayProcess.java(), "-jar", RelayProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("RELAY_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("relay.jar " + String.join(" ", arguments) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
