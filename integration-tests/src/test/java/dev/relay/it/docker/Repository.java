package dev.relay.it.docker;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in: where the Dockerfile, compose file and poms are. */
public final class Repository {
    private Repository() {}

    /** The root: surefire passes it as {@code relay.repository}; otherwise the parent of the module directory. */
    public static Path root() {
        Path root = Path.of(System.getProperty("relay.repository", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("docker"))) {
            throw new IllegalStateException(root + " is not the repository root (no pom.xml and docker/ there)");
        }
        return root;
    }

    public static Path file(String relative) {
        Path file = root().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(relative + " is missing from the repository");
        }
        return file;
    }
}
