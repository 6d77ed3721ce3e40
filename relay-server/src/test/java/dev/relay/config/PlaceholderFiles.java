package dev.relay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files a test configuration names (certificate, key, users file...): the loader checks that
 * they exist, and nothing here reads what they hold.
 */
final class PlaceholderFiles {
    private PlaceholderFiles() {}

    /** Creates each named file in {@code dir}, holding one character. */
    static void create(Path dir, String... names) throws IOException {
        for (String name : names) {
            Files.writeString(dir.resolve(name), "x");
        }
    }
}
