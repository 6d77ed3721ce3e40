package dev.relay.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.relay.settings.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Loads the configuration: YAML (or the built-in defaults), then the {@code RELAY_*}
 * environment overrides, then validation. The result is immutable; every user error is a
 * {@link ConfigException} whose one-line message names the key path or the file.
 *
 * <p>Every key is optional. A key that is left out takes the value it has in the embedded
 * {@code config/relay.yaml}, except {@code hostname}, which falls back to this machine's name
 * (the embedded file says {@code localhost} explicitly). Relative paths are relative to the
 * working directory, as {@code ./data/spool} in the default is.
 *
 * <p>Environment names: {@code RELAY_} + key path in upper case, {@code _} for {@code .} and
 * {@code -}; lists comma-separated; {@code RELAY_LISTENERS_<n>_<FIELD>} for listener n. See
 * {@link EnvOverlay} for the details, including what an empty value means. An unknown
 * {@code RELAY_*} variable is an error, so a typo cannot pass silently.
 */
public final class ConfigLoader {

    /** Where the embedded default lives on the class path. */
    public static final String DEFAULT_RESOURCE = "dev/relay/config/defaults/relay.yaml";
    /** The file {@code run} uses when no {@code --config} is given and it exists. */
    public static final Path CONVENTIONAL_FILE = Path.of("config", "relay.yaml");
    /** The {@link LoadedConfig#source()} of the embedded default. */
    public static final String BUILT_IN = "built-in defaults";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // YAML 1.1 would read "off" as false: listeners' "starttls: off" must stay a word
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();

    private final Map<String, String> environment;
    private final Supplier<String> machineHostname;

    /** @param environment the variables to read {@code RELAY_*} overrides from (others are ignored) */
    public ConfigLoader(Map<String, String> environment) {
        this(environment, ConfigLoader::localHostName);
    }

    /** As {@link #ConfigLoader(Map)}, with the host name to use when the config gives none. */
    public ConfigLoader(Map<String, String> environment, Supplier<String> machineHostname) {
        this.environment = Map.copyOf(environment);
        this.machineHostname = Objects.requireNonNull(machineHostname, "machineHostname");
    }

    /** A loader reading the process environment. */
    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /** Loads a YAML file. */
    public LoadedConfig load(Path file) {
        return loadYaml(read(file), file.toString());
    }

    /** The embedded default (the class path copy of {@code config/relay.yaml}), with overrides. */
    public LoadedConfig loadDefault() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " missing from the class path: a broken build");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return loadYaml(yaml, BUILT_IN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What {@code relay.jar run} loads: the {@code --config} file when given; otherwise
     * {@code config/relay.yaml} when it exists; otherwise the embedded default.
     */
    public LoadedConfig loadFor(Optional<Path> configOption) {
        if (configOption.isPresent()) {
            return load(configOption.get());
        }
        return Files.isRegularFile(CONVENTIONAL_FILE) ? load(CONVENTIONAL_FILE) : loadDefault();
    }

    /**
     * Loads YAML text.
     *
     * @param source names the text in error messages, usually the file path
     */
    public LoadedConfig loadYaml(String yaml, String source) {
        ObjectNode root = parse(yaml, source);
        Map<String, String> origins = EnvOverlay.apply(root, environment);
        RelayConfig config = new ConfigMapper(origins, machineHostname).map(root);
        return new LoadedConfig(config, new ConfigValidator(origins).validate(config), source);
    }

    private static ObjectNode parse(String yaml, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxError(e, source));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(source + ": expected a mapping of keys to values at the top level, got a "
                    + (tree.isArray() ? "list" : "single value"));
        }
        return (ObjectNode) tree;
    }

    private static String syntaxError(JsonProcessingException e, String source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                var mark = marked.getProblemMark();
                String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
                return source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": YAML syntax error: "
                        + marked.getProblem() + context;
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
        String problem = e.getOriginalMessage();
        if (problem.startsWith("Duplicate field")) {
            problem = problem.replace("Duplicate field", "duplicate key");
        }
        return source + where + ": YAML syntax error: " + problem.lines().findFirst().orElse("");
    }

    private static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory, expected a YAML file");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": not readable (permission denied)");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException | SecurityException e) {
            return "localhost";
        }
    }
}
