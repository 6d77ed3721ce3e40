package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.it.docker.Dockerfile.Copy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build context that .dockerignore leaves: everything the Dockerfile copies from it, and
 * nothing that must not go into an image layer or bloat the upload.
 */
class DockerBuildContextTest {

    private static final Path ROOT = Repository.root();
    private static final DockerIgnore IGNORE = DockerIgnore.of(ROOT);

    @Test
    void everyFileTheDockerfileCopiesFromTheContextIsSent() {
        List<String> context = IGNORE.contextFiles(ROOT);
        Dockerfile dockerfile = Dockerfile.read(ROOT.resolve("docker/Dockerfile"));
        int checked = 0;
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            for (Copy copy : stage.copies()) {
                if (copy.from().isPresent()) {
                    continue;
                }
                for (String source : copy.sources()) {
                    List<String> wanted = filesUnder(source);
                    assertThat(wanted).as("%s (line %d) exists in the repository", source, copy.instruction().line()).isNotEmpty();
                    assertThat(context).as("files of %s in the build context", source).containsAll(wanted);
                    checked += wanted.size();
                }
            }
        }
        assertThat(checked).as("files checked").isGreaterThan(100);
    }

    @Test
    void buildOutputSecretsAndGitStayOut() {
        assertThat(IGNORE.excludes("relay-server/target/relay.jar")).isTrue();
        assertThat(IGNORE.excludes("relay-queue/target/classes/dev/relay/queue/MessageQueue.class")).isTrue();
        assertThat(IGNORE.excludes(".git/config")).isTrue();
        assertThat(IGNORE.excludes("docker/.env")).isTrue();
        assertThat(IGNORE.excludes("docker/tls/key.pem")).isTrue();
        assertThat(IGNORE.excludes("docker/users")).isTrue();
        assertThat(IGNORE.excludes("integration-tests/src/test/java/dev/relay/it/RelayProcess.java")).isTrue();

        List<String> context = IGNORE.contextFiles(ROOT);
        assertThat(context).noneMatch(f -> f.contains("/target/") || f.startsWith("target/") || f.startsWith(".git/"));
        long bytes = context.stream().mapToLong(f -> size(ROOT.resolve(f))).sum();
        // sources and poms only: a few MB at most; build output or .git would be far more
        assertThat(bytes).as("build context size").isLessThan(20L * 1024 * 1024);
    }

    @Test
    void matcherFollowsDockersRules() {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                *
                !keep/
                keep/secret*
                !keep/secret-but-public
                **/build
                /rooted.txt
                """);
        assertThat(ignore.excludes("anything")).isTrue();
        assertThat(ignore.excludes("dir/deep/file")).isTrue();
        assertThat(ignore.excludes("keep/a/b.txt")).isFalse();
        assertThat(ignore.excludes("keep/secret.pem")).isTrue();
        assertThat(ignore.excludes("keep/secret-but-public")).isFalse();
        assertThat(ignore.excludes("keep/x/build/out.o")).isTrue();
        assertThat(ignore.excludes("keep/build")).isTrue();

        DockerIgnore rooted = DockerIgnore.parse("/rooted.txt\nsub/*.log\n");
        assertThat(rooted.excludes("rooted.txt")).isTrue();
        assertThat(rooted.excludes("sub/rooted.txt")).isFalse();
        assertThat(rooted.excludes("sub/a.log")).isTrue();
        assertThat(rooted.excludes("sub/deeper/a.log")).isFalse();
    }

    private static List<String> filesUnder(String source) {
        Path path = ROOT.resolve(source);
        if (Files.isRegularFile(path)) {
            return List.of(source.replaceAll("/$", ""));
        }
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString().replace('\\', '/')).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
