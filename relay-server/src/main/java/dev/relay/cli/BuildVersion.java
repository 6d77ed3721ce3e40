package dev.relay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * What was built: the POM version, from {@code version.properties} (relay-server/pom.xml filters
 * it), and the git commit, from {@code git-commit.txt} (the pom's git-commit profile writes what
 * {@code git describe --always --dirty} says). A build from a tree without {@code .git} (the
 * Docker build context) knows no commit; classes run from an IDE without filtering know neither.
 *
 * @param version the POM version, empty when unknown
 * @param commit the abbreviated commit id, empty when unknown
 * @param dirty whether the working tree had uncommitted changes at build time
 */
record BuildVersion(Optional<String> version, Optional<String> commit, boolean dirty) {

    static final String VERSION_RESOURCE = "version.properties";
    static final String COMMIT_RESOURCE = "git-commit.txt";
    private static final String DIRTY = "-dirty";

    static BuildVersion current() {
        Properties properties = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String describe = "";
        try (InputStream in = BuildVersion.class.getResourceAsStream(COMMIT_RESOURCE)) {
            if (in != null) {
                describe = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(properties, describe);
    }

    /**
     * @param properties version.properties as filtered (an unfilled placeholder counts as unknown)
     * @param describe what {@code git describe --always --dirty} printed, empty when it did not run
     */
    static BuildVersion of(Properties properties, String describe) {
        boolean dirty = describe.endsWith(DIRTY);
        String commit = dirty ? describe.substring(0, describe.length() - DIRTY.length()) : describe;
        return new BuildVersion(filled(properties, "version"),
                Optional.of(commit).filter(c -> c.matches("[0-9a-f]{7,40}")), dirty);
    }

    /** A value the build filled in: an unfilled {@code ${...}} placeholder counts as unknown. */
    private static Optional<String> filled(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip)
                .filter(value -> !value.isEmpty() && !value.startsWith("${"));
    }

    /** {@code relay 0.1.0 (commit 13bb877abcde)}, as {@code --version} prints it. */
    String describe() {
        String commitText = commit.map(id -> "commit " + id + (dirty ? " with uncommitted changes" : ""))
                .orElse("commit unknown");
        return "relay " + version.orElse("(development build)") + " (" + commitText + ")";
    }
}
