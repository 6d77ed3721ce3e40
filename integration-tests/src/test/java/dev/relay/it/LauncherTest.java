package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relay.it.docker.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ./relay} launcher at the repository root, in a sandbox: a copy of the script in a
 * fake checkout, fake JDKs (a {@code java} that reports its version and logs its arguments) in a
 * fake {@code /usr/lib/jvm}, and a fake {@code mvn} that logs its call and "builds" the jar. The
 * environment is empty but for {@code PATH}, as on a fresh login. Also: README's quick start and
 * {@code .ci/run} run the same test command.
 */
class LauncherTest {

    // the jar is built after the sources, and after the directories this test creates now
    private static final Instant OLD = Instant.now().minusSeconds(86_400);
    private static final Instant NEW = Instant.now().plusSeconds(3_600);

    @TempDir
    Path sandbox;

    private Path checkout;
    private Path jvms;
    private Path calls;
    private Path jar;

    record Result(int exitCode, String stdout, String stderr, List<String> calls) {}

    @BeforeEach
    void fakeCheckoutAndJdks() throws IOException {
        checkout = Files.createDirectories(sandbox.resolve("checkout"));
        jvms = Files.createDirectories(sandbox.resolve("jvm"));
        calls = sandbox.resolve("calls.log");
        Files.createFile(calls);
        Path launcher = checkout.resolve("relay");
        Files.copy(Repository.file("relay"), launcher);
        executable(launcher);
        for (String source : List.of("pom.xml", "relay-queue/pom.xml", "relay-server/pom.xml",
                "relay-queue/src/main/java/Q.java", "relay-server/src/main/java/S.java",
                "relay-server/src/main/resources/r.txt", "config/relay.yaml", "relay-server/src/test/java/T.java")) {
            write(checkout.resolve(source), "x", OLD);
        }
        jar = checkout.resolve("relay-server/target/relay.jar");
        write(jar, "jar", NEW);
        fakeJdk("java-17-openjdk-amd64", 17);
        fakeJdk("temurin-25-jdk-amd64", 25);
        Path bin = Files.createDirectories(sandbox.resolve("bin"));
        script(bin.resolve("mvn"), """
                echo "mvn JAVA_HOME=$JAVA_HOME $*" >> %s
                case " $* " in *" package "*) touch %s ;; esac
                """.formatted(calls, jar));
    }

    @Test
    void freshJarRunsWithTheJdkFoundUnderJvmDirectoryNotJavaHome17() throws Exception {
        Result result = launch(Map.of("JAVA_HOME", jvm("java-17-openjdk-amd64")), "run", "--config", "my relay.yaml");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.calls()).containsExactly(
                jvm("temurin-25-jdk-amd64") + "/bin/java -jar " + jar + " run --config my relay.yaml");
    }

    @Test
    void anAotCacheMadeAfterTheJarIsUsedAndAnOlderOneIsNot() throws Exception {
        Path aot = checkout.resolve("relay-server/target/relay.aot");
        write(aot, "cache", NEW.plusSeconds(60));

        Result fresh = launch(Map.of(), "run");
        assertThat(fresh.exitCode()).as(fresh.stderr()).isZero();
        assertThat(fresh.calls()).containsExactly(
                jvm("temurin-25-jdk-amd64") + "/bin/java -XX:AOTCache=" + aot + " -jar " + jar + " run");

        Files.setLastModifiedTime(aot, FileTime.from(OLD));
        Files.writeString(calls, "");
        Result stale = launch(Map.of(), "run");
        assertThat(stale.calls()).as("a cache older than the jar was made for another jar")
                .containsExactly(jvm("temurin-25-jdk-amd64") + "/bin/java -jar " + jar + " run");
    }

    @Test
    void missingJarIsBuiltWithThatJdkThenRun() throws Exception {
        Files.delete(jar);

        Result result = launch(Map.of(), "--version");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("building");
        assertThat(result.calls()).containsExactly(
                "mvn JAVA_HOME=" + jvm("temurin-25-jdk-amd64")
                        + " -B -ntp -q -Dstyle.color=never package -DskipTests -pl relay-server -am",
                jvm("temurin-25-jdk-amd64") + "/bin/java -jar " + jar + " --version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pom.xml", "relay-queue/pom.xml", "relay-server/pom.xml", "relay-queue/src/main/java/Q.java",
            "relay-server/src/main/java/S.java", "relay-server/src/main/resources/r.txt", "config/relay.yaml"})
    void jarOlderThanAnInputIsRebuilt(String input) throws Exception {
        Files.setLastModifiedTime(checkout.resolve(input), FileTime.from(NEW.plusSeconds(60)));

        Result result = launch(Map.of(), "config", "check");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.calls()).hasSize(2);
        assertThat(result.calls().get(0)).startsWith("mvn ").contains(" package ");
        assertThat(result.calls().get(1)).endsWith("relay.jar config check");
    }

    @Test
    void aChangedTestSourceDoesNotRebuild() throws Exception {
        Files.setLastModifiedTime(checkout.resolve("relay-server/src/test/java/T.java"), FileTime.from(NEW.plusSeconds(60)));

        Result result = launch(Map.of(), "run");

        assertThat(result.calls()).singleElement().asString().contains("/bin/java -jar ");
    }

    @Test
    void javaHome21OrNewerIsPreferred() throws Exception {
        fakeJdk("jdk-21-elsewhere", 21);

        Result result = launch(Map.of("JAVA_HOME", jvm("jdk-21-elsewhere")), "run");

        assertThat(result.calls()).containsExactly(jvm("jdk-21-elsewhere") + "/bin/java -jar " + jar + " run");
    }

    @Test
    void testCommandIsMavenVerifyWithThatJdk() throws Exception {
        Result result = launch(Map.of(), "test");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.calls()).containsExactly("mvn JAVA_HOME=" + jvm("temurin-25-jdk-amd64") + " -B -ntp verify");
    }

    @Test
    void noJdk21IsOneLineAndExit2() throws Exception {
        deleteJdk("temurin-25-jdk-amd64");

        Result withJavaHome = launch(Map.of("JAVA_HOME", jvm("java-17-openjdk-amd64")), "run");
        Result without = launch(Map.of(), "test");

        assertThat(withJavaHome.exitCode()).isEqualTo(2);
        assertThat(withJavaHome.stdout()).isEmpty();
        assertThat(withJavaHome.stderr().lines().toList()).singleElement().asString()
                .startsWith("relay: no JDK 21 or newer")
                .contains("JAVA_HOME=" + jvm("java-17-openjdk-amd64"))
                .contains(jvms.toString())
                .doesNotContain("Exception");
        assertThat(withJavaHome.calls()).isEmpty();
        assertThat(without.exitCode()).isEqualTo(2);
        assertThat(without.stderr().lines().toList()).singleElement().asString()
                .startsWith("relay: no JDK 21 or newer").contains("JAVA_HOME is not set");
        assertThat(without.calls()).isEmpty();
    }

    @Test
    void onThisMachineItFindsAJdk21WhileJavaHomeIs17() throws Exception {
        Optional<Path> jdk17 = List.of("java-17-openjdk-amd64", "java-17-openjdk-arm64", "openjdk-17").stream()
                .map(name -> Path.of("/usr/lib/jvm", name)).filter(Files::isDirectory).findFirst();
        assumeTrue(jdk17.isPresent(), "no JDK 17 under /usr/lib/jvm to start from");

        Result result = run(Repository.root(), Map.of("JAVA_HOME", jdk17.get().toString(), "PATH", "/usr/bin:/bin"), "java-home");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Path found = Path.of(result.stdout().strip());
        Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(found.resolve("release")));
        assertThat(version.find()).isTrue();
        assertThat(Integer.parseInt(version.group(1))).isGreaterThanOrEqualTo(21);
    }

    @Test
    void readmeQuickStartAndCiRunTheSameTestCommand() throws IOException {
        String readme = Files.readString(Repository.file("README.md"));
        String quickStart = readme.substring(readme.indexOf("## Quick start"));
        quickStart = quickStart.substring(quickStart.indexOf("```sh") + 5);
        quickStart = quickStart.substring(0, quickStart.indexOf("```"));
        List<String> commands = quickStart.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<String> ciCommands = Files.readString(Repository.file(".ci/run")).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(commands).containsExactly("./relay run", "./relay test");
        // CI runs the README's test command as it is (the mutation check follows it, see .ci/run)
        assertThat(ciCommands).contains(commands.get(1));
    }

    private Result launch(Map<String, String> environment, String... arguments) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("PATH", sandbox.resolve("bin") + ":/usr/bin:/bin");
        env.put("RELAY_LAUNCHER_JVM_DIR", jvms.toString());
        return run(checkout, env, arguments);
    }

    private Result run(Path root, Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("relay").toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(sandbox, "out", ".txt");
        Path err = Files.createTempFile(sandbox, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(sandbox.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./relay " + String.join(" ", arguments) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err), Files.readAllLines(calls));
    }

    private String jvm(String name) {
        return jvms.resolve(name).toString();
    }

    private void fakeJdk(String name, int version) throws IOException {
        Path bin = Files.createDirectories(jvms.resolve(name).resolve("bin"));
        script(bin.resolve("java"), """
                if [ "$1" = -XshowSettings:properties ]; then
                  echo "    java.specification.version = %d" >&2
                  exit 0
                fi
                echo "$0 $*" >> %s
                """.formatted(version, calls));
        script(bin.resolve("javac"), "exit 0\n");
    }

    private void deleteJdk(String name) throws IOException {
        Path home = jvms.resolve(name);
        Files.delete(home.resolve("bin/java"));
        Files.delete(home.resolve("bin/javac"));
        Files.delete(home.resolve("bin"));
        Files.delete(home);
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body);
        executable(file);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void write(Path file, String content, Instant modified) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
