package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shaded relay.jar knows its version and commit (the filtered resource survives shading). */
class VersionJarTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "queue list -V", "config check --version"})
    void printsPomVersionAndCommit(String arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(RelayProcess.java(), "-jar", RelayProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(arguments.split(" ")));
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out).strip())
                .matches("relay \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}( with uncommitted changes)?|unknown)\\)");
    }
}
