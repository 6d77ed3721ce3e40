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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @ValueSource(strings = {
        "relay-server/target/relay.jar",
        "relay-queue/target/classes/dev/relay/queue/MessageQueue.class",
        ".git/config",
        "docker/.env",
        "docker/tls/key.pem",
        "docker/users",
        "integration-tests/src/test/java/dev/relay/it/RelayProcess.java",
    })
    void buildOutputSecretsAndGitStayOut(String path) {
        assertThat(IGNORE.excludes(path)).as(path).isTrue();
    }

    @Test
    void theContextHoldsNoBuildOutputAndStaysSmall() {
        List<String> context = IGNORE.contextFiles(ROOT);
        assertThat(context).noneMatch(f -> f.contains("/target/") || f.startsWith("target/") || f.startsWith(".git/"));
        long bytes = context.stream().mapToLong(f -> size(ROOT.resolve(f))).sum();
        // sources and poms only: a few MB at most; build output or .git would be far more
        assertThat(bytes).as("build context size").isLessThan(20L * 1024 * 1024);
    }

    /** Docker's rules: the last matching line decides, ! takes a path back in, ** matches at any depth. */
    @ParameterizedTest(name = "{0} excluded: {1}")
    @CsvSource({
        "anything, true",
        "dir/deep/file, true",
        "keep/a/b.txt, false",
        "keep/secret.pem, true",
        "keep/secret-but-public, false",
        "keep/x/build/out.o, true",
        "keep/build, true",
    })
    void matcherFollowsDockersRules(String path, boolean excluded) {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                *
                !keep/
                keep/secret*
                !keep/secret-but-public
                **/build
                /rooted.txt
                """);
        assertThat(ignore.excludes(path)).isEqualTo(excluded);
    }

    /** Every pattern matches from the context's root: /rooted.txt is not sub/rooted.txt, sub/*.log does not reach sub/deeper. */
    @ParameterizedTest(name = "{0} excluded: {1}")
    @CsvSource({
        "rooted.txt, true",
        "sub/rooted.txt, false",
        "sub/a.log, true",
        "sub/deeper/a.log, false",
    })
    void patternsWithASlashMatchFromTheRoot(String path, boolean excluded) {
        assertThat(DockerIgnore.parse("/rooted.txt\nsub/*.log\n").excludes(path)).isEqualTo(excluded);
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
