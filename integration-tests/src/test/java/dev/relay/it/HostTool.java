package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A checking tool of the machine the tests run on (promtool, systemd-analyze), run from the PATH.
 * A test that needs one is skipped, saying where to get it, on a machine without it.
 */
public final class HostTool {
    private HostTool() {}

    /** What the tool answered: its exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String output) {}

    /**
     * Runs {@code name} with {@code arguments} in {@code directory}, waiting at most {@code limit};
     * {@code whereToGetIt} says, in the skip message, which package has the tool.
     */
    public static Result run(String name, String whereToGetIt, Path directory, Duration limit, String... arguments)
            throws Exception {
        Optional<Path> tool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        assumeTrue(tool.isPresent(), "no " + name + " on the PATH (" + whereToGetIt + ")");
        List<String> command = new ArrayList<>(List.of(tool.get().toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
