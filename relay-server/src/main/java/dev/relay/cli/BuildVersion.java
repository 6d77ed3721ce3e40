package dev.relay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What was built: the POM version and the git commit, from {@code version.properties}, which
 * the build fills in (relay-server/pom.xml filters it; the commit comes from
 * git-commit-id-maven-plugin). A build from a tree without {@code .git} (the Docker build
 * context) knows no commit; classes run from an IDE without filtering know neither.
 *
 * @param version the POM version, empty when unknown
 * @param commit the abbreviated commit id, empty when unknown
 * @param dirty whether the working tree had uncommitted changes at build time
 */
record BuildVersion(Optional<String> version, Optional<String> commit, boolean dirty) {

    static final String RESOURCE = "version.properties";

    static BuildVersion current() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BuildVersion of(Properties properties) {
        return new BuildVersion(filled(properties, "version"), filled(properties, "commit"),
                filled(properties, "dirty").map(Boolean::parseBoolean).orElse(false));
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
