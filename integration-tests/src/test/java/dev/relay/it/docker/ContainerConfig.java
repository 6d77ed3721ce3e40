package dev.relay.it.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** docker/relay.yaml, the configuration the image runs with. */
final class ContainerConfig {
    private ContainerConfig() {}

    static final String SOURCE = "docker/relay.yaml";

    static Path file() {
        return Repository.file(SOURCE);
    }

    /** The file as written (paths as the container sees them). */
    static JsonNode yaml() {
        try {
            return YAMLMapper.builder().build().readTree(file().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The effective configuration, loaded and validated the way the relay does it, with these
     * environment variables and the mounted files written to {@code directory} (the paths under
     * /etc/relay do not exist outside the container).
     */
    static RelayConfig load(Path directory, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(ContainerMounts.create("relay.test").writeForHost(directory));
        env.putAll(environment);
        return new ConfigLoader(env, () -> "container-id").load(file()).config();
    }

    /** An absolute path as written in the file, at a dotted key path. */
    static String path(String keyPath) {
        JsonNode node = yaml();
        for (String part : keyPath.split("\\.")) {
            node = node.path(part);
        }
        if (!node.isTextual()) {
            throw new AssertionError(SOURCE + " has no " + keyPath);
        }
        return node.asText();
    }
}
