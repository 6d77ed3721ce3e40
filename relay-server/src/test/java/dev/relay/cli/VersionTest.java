package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code -V} and {@code --version} on every command print the POM version and the commit built. */
class VersionTest {

    /** The parent POM's version, which the build filters into version.properties. */
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<artifactId>relay-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).as("version in the parent pom").isTrue();
        return m.group(1);
    }

    /** Every command path: [], [run], [config], [config, check], ... */
    private static List<List<String>> commandPaths(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandName().equals(name)) {
                List<String> longer = new ArrayList<>(path);
                longer.add(name);
                commandPaths(sub, longer, into);
            }
        });
        return into;
    }

    @Test
    void everyCommandPrintsVersionAndCommit() throws IOException {
        String expected = "relay " + pomVersion() + " (commit ";
        List<List<String>> paths = commandPaths(new CommandLine(new RelayCommand()), List.of(), new ArrayList<>());
        assertThat(paths).hasSizeGreaterThan(10).contains(List.of("queue", "list"), List.of("mta-sts", "check"));
        for (List<String> path : paths) {
            for (String option : List.of("-V", "--version")) {
                List<String> args = new ArrayList<>(path);
                args.add(option);
                CommandRun run = CommandRun.of(args.toArray(String[]::new));
                assertThat(run.exitCode()).as("%s: %s", args, run.err()).isZero();
                assertThat(run.out().strip()).as("%s", args).startsWith(expected).endsWith(")")
                        .doesNotContain("${").doesNotContain("development build");
            }
        }
    }

    @Test
    void theCommitIsTheCheckoutsHeadWhenBuiltFromOne() throws Exception {
        assertThat(BuildVersion.current().version()).contains(pomVersion());
        // tests run from the module directory of a git checkout or linked worktree (.git is a file then)
        if (Files.exists(Path.of("..", ".git"))) {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String head = new String(git.getInputStream().readAllBytes()).strip();
            assertThat(git.waitFor()).isZero();
            assertThat(BuildVersion.current().commit()).hasValueSatisfying(id -> assertThat(head).startsWith(id));
        }
    }

    @Test
    void describesUnknownAndDirtyBuildsInWords() {
        Properties unfilled = new Properties();
        unfilled.setProperty("version", "${project.version}");
        assertThat(BuildVersion.of(unfilled, "").describe()).isEqualTo("relay (development build) (commit unknown)");

        Properties filled = new Properties();
        filled.setProperty("version", "1.2.0");
        assertThat(BuildVersion.of(filled, "0123456789ab-dirty").describe())
                .isEqualTo("relay 1.2.0 (commit 0123456789ab with uncommitted changes)");
        assertThat(BuildVersion.of(filled, "0123456789ab").describe()).isEqualTo("relay 1.2.0 (commit 0123456789ab)");
        assertThat(BuildVersion.of(filled, "").describe()).isEqualTo("relay 1.2.0 (commit unknown)");
        assertThat(BuildVersion.of(filled, "fatal: not a git repository").describe()).isEqualTo("relay 1.2.0 (commit unknown)");
    }
}
