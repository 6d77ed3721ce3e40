package dev.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The documents around the configuration keep step with {@link KeySchema}: every key is in
 * config/relay.example.yaml at its place in the tree (set, or commented out as an example),
 * the example has no key the relay does not know, and the README's configuration table names
 * every key.
 */
class ConfigDocsDriftTest {

    private static final Path EXAMPLE = Path.of("../config/relay.example.yaml");
    private static final Path README = Path.of("../README.md");
    /** A commented-out key: {@code # key: value} or {@code # - key: value}, at any indentation. */
    private static final Pattern COMMENTED_KEY = Pattern.compile("^(\\s*)# ?((?:- )?[a-z][a-z-]*:.*)$");

    private static Set<String> schemaPaths() {
        return KeySchema.KEYS.stream().map(KeySchema.Key::path).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The example with its commented-out keys taken in, as key paths in KeySchema's notation. */
    static Set<String> examplePaths(String text) throws IOException {
        String uncommented = text.lines().map(line -> {
            Matcher m = COMMENTED_KEY.matcher(line);
            return m.matches() ? m.group(1) + m.group(2) : line;
        }).collect(Collectors.joining("\n"));
        Set<String> paths = new TreeSet<>();
        collect(YAMLMapper.builder().build().readTree(uncommented), "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String path, Set<String> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), into);
            }
        } else if (node.isArray() && !node.isEmpty() && node.get(0).isObject()) {
            node.forEach(element -> collect(element, path + "[]", into));
        } else {
            into.add(path);
        }
    }

    @Test
    void theExampleHasEveryKeyAndNoOther() throws IOException {
        Set<String> example = examplePaths(Files.readString(EXAMPLE));
        assertThat(example).as("keys in %s", EXAMPLE).containsExactlyInAnyOrderElementsOf(schemaPaths());
    }

    @Test
    void theCheckNoticesAMissingAndAnUnknownKey() throws IOException {
        String text = Files.readString(EXAMPLE);
        Set<String> withoutMaxErrors = examplePaths(text.replaceAll("(?m)^\\s*max-errors:.*$", ""));
        assertThat(withoutMaxErrors).doesNotContain("limits.max-errors").contains("limits.max-recipients");
        Set<String> withTypo = examplePaths(text.replace("  # token: change-me", "  # tokn: change-me"));
        assertThat(withTypo).contains("admin.tokn").doesNotContain("admin.token");
    }

    @Test
    void theReadmeConfigurationTableNamesEveryKey() throws IOException {
        String readme = Files.readString(README);
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("### Listeners, TLS and AUTH"));
        for (String path : schemaPaths()) {
            // listener fields are listed in the listeners[] row by field name
            String shown = path.startsWith(KeySchema.LISTENER_FIELDS + ".")
                    ? path.substring(KeySchema.LISTENER_FIELDS.length() + 1) : path;
            assertThat(table).as("README configuration names %s", path).contains("`" + shown + "`");
        }
        assertThat(table).contains("config/relay.example.yaml");
    }
}
