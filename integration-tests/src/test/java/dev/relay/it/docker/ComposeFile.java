package dev.relay.it.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/compose.yaml read with Jackson, with Compose's {@code ${VAR}}, {@code ${VAR:-default}}
 * and {@code ${VAR:?error}} interpolation against a given environment.
 */
final class ComposeFile {

    static final String SOURCE = "docker/compose.yaml";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    /** One volume line of a service: a named volume or a bind mount (source starts with . or /). */
    record Mount(String source, String target, boolean readOnly) {
        boolean isNamedVolume() {
            return !source.startsWith(".") && !source.startsWith("/");
        }
    }

    /** One ports line: host side (address and port, maybe empty) and the container port. */
    record Port(String host, int container) {}

    private final JsonNode root;
    private final Map<String, String> environment;

    private ComposeFile(JsonNode root, Map<String, String> environment) {
        this.root = root;
        this.environment = Map.copyOf(environment);
    }

    static ComposeFile read(Map<String, String> environment) {
        try {
            return new ComposeFile(YAML.readTree(Repository.file(SOURCE).toFile()), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory relative paths in the file are relative to. */
    static Path directory() {
        return Repository.file(SOURCE).getParent();
    }

    JsonNode root() {
        return root;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (!service.isObject()) {
            throw new AssertionError(SOURCE + " has no service " + name);
        }
        return service;
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A service's environment, interpolated (map or list form). */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service(service).path("environment");
        if (node.isObject()) {
            node.properties().forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        } else {
            for (JsonNode item : node) {
                String[] pair = item.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? interpolate(pair[1]) : environment.getOrDefault(pair[0], ""));
            }
        }
        return env;
    }

    /** The variable an environment entry takes its value from, as written ({@code ${NAME...}}). */
    Optional<String> sourceVariable(String service, String name) {
        Matcher m = VARIABLE.matcher(service(service).path("environment").path(name).asText());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether the entry is written {@code ${VAR:?...}}: compose refuses to start without it. */
    boolean isRequired(String service, String name) {
        Matcher m = VARIABLE.matcher(service(service).path("environment").path(name).asText());
        return m.find() && ":?".equals(m.group(2));
    }

    List<Mount> mounts(String service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode item : service(service).path("volumes")) {
            String[] parts = interpolate(item.asText()).split(":");
            mounts.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro")));
        }
        return mounts;
    }

    Optional<Mount> mountAt(String service, String target) {
        return mounts(service).stream().filter(m -> m.target().equals(target)).findFirst();
    }

    List<Port> ports(String service) {
        List<Port> ports = new ArrayList<>();
        for (JsonNode item : service(service).path("ports")) {
            String text = item.asText();
            int colon = text.lastIndexOf(':');
            ports.add(new Port(colon < 0 ? "" : text.substring(0, colon), Integer.parseInt(text.substring(colon + 1).replace("/tcp", ""))));
        }
        return ports;
    }

    String interpolate(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.get(m.group(1));
            boolean unset = value == null || (value.isEmpty() && m.group(2) != null && m.group(2).startsWith(":"));
            if (unset && m.group(2) != null && m.group(2).endsWith("?")) {
                throw new AssertionError(SOURCE + ": " + m.group(1) + " is required: " + m.group(3));
            }
            String replacement = unset ? (m.group(2) != null && m.group(2).endsWith("-") ? m.group(3) : "") : value;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
