package dev.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.config.KeySchema.Shape;
import dev.relay.settings.ConfigException;
import dev.relay.text.DidYouMean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code RELAY_*} environment variables into the YAML tree before it is mapped, so they
 * go through exactly the same checks as the file.
 *
 * <p>Naming: {@code RELAY_} + the key path in upper case with {@code _} for {@code .} and
 * {@code -}. Since {@code _} stands for both, names are looked up in a table built from
 * {@link KeySchema} rather than turned back into paths; any other {@code RELAY_*} name is an
 * error. Values: lists are comma-separated ({@code RELAY_DELIVERY_DNS_SERVERS=127.0.0.1:53,[::1]:53});
 * an empty value is an empty list for list keys, and "as if the key were absent" (the default,
 * or unset for optional keys) for the others. Listeners: {@code RELAY_LISTENERS_<n>_<FIELD>}
 * sets a field of listener n (counting from 0) of the file's list, or of the default list when
 * the file has none; n equal to the number of listeners adds one.
 */
final class EnvOverlay {

    /** Read by logback.xml, not by the config: not config keys, yet not typos either. */
    static final java.util.Set<String> LOGGING_VARIABLES = java.util.Set.of("RELAY_LOG_LEVEL", "RELAY_LOG_FORMAT",
            "RELAY_LOG_FILE", "RELAY_LOG_MAX_FILE_SIZE", "RELAY_LOG_KEEP_DAYS", "RELAY_LOG_TOTAL_SIZE_CAP");

    private static final Pattern LISTENER = Pattern.compile("RELAY_LISTENERS_(\\d{1,3})_(.+)");

    private EnvOverlay() {}

    /**
     * @return for each key path that a variable set, the variable's name (for error messages)
     * @throws ConfigException for an unknown {@code RELAY_*} name
     */
    static Map<String, String> apply(ObjectNode root, Map<String, String> environment) {
        Map<String, KeySchema.Key> byEnvName = new HashMap<>();
        for (KeySchema.Key key : KeySchema.plainKeys()) {
            byEnvName.put(key.envName(), key);
        }
        Map<String, String> origins = new HashMap<>();
        TreeMap<Integer, Map<String, String>> listenerFields = new TreeMap<>();
        Map<String, String> listenerEnvNames = new HashMap<>();
        for (var entry : new TreeMap<>(environment).entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(KeySchema.ENV_PREFIX) || LOGGING_VARIABLES.contains(name)) {
                continue;
            }
            KeySchema.Key key = byEnvName.get(name);
            if (key != null) {
                set(root, key, entry.getValue());
                origins.put(key.path(), name);
                continue;
            }
            Matcher m = LISTENER.matcher(name);
            Optional<String> field = m.matches() ? KeySchema.listenerFieldForEnvSuffix(m.group(2)) : Optional.empty();
            if (field.isEmpty()) {
                throw new ConfigException(name, "unknown configuration variable" + hint(name));
            }
            int index = Integer.parseInt(m.group(1));
            listenerFields.computeIfAbsent(index, i -> new TreeMap<>()).put(field.get(), entry.getValue());
            listenerEnvNames.put(index + "." + field.get(), name);
        }
        if (!listenerFields.isEmpty()) {
            applyListeners(root, listenerFields, listenerEnvNames, origins);
        }
        return origins;
    }

    private static void applyListeners(ObjectNode root, NavigableMap<Integer, Map<String, String>> fields,
            Map<String, String> envNames, Map<String, String> origins) {
        JsonNode existing = root.get(KeySchema.LISTENERS);
        if (existing == null || existing.isNull()) {
            root.set(KeySchema.LISTENERS, Defaults.listenersTree());
        } else if (!existing.isArray()) {
            throw new ConfigException(KeySchema.LISTENERS, "expected a list (like [a, b]), got a "
                    + (existing.isObject() ? "mapping" : "single value") + " (so " + firstName(fields, envNames)
                    + " cannot apply)");
        }
        ArrayNode list = (ArrayNode) root.get(KeySchema.LISTENERS);
        for (var byIndex : fields.entrySet()) {
            int index = byIndex.getKey();
            String someName = envNames.get(index + "." + byIndex.getValue().keySet().iterator().next());
            if (index > list.size()) {
                throw new ConfigException(someName, "there is no listeners[" + (index - 1)
                        + "]: listener numbers count from 0 without gaps (" + list.size() + " listener"
                        + (list.size() == 1 ? "" : "s") + " so far)");
            }
            if (index == list.size()) {
                list.addObject();
            }
            JsonNode element = list.get(index);
            if (!element.isObject()) {
                throw new ConfigException("listeners[" + index + "]", "expected a mapping of keys to values (so "
                        + someName + " cannot apply)");
            }
            for (var field : byIndex.getValue().entrySet()) {
                setScalar((ObjectNode) element, field.getKey(), field.getValue());
                origins.put("listeners[" + index + "]." + field.getKey(), envNames.get(index + "." + field.getKey()));
            }
        }
    }

    private static String firstName(NavigableMap<Integer, Map<String, String>> fields, Map<String, String> envNames) {
        var first = fields.firstEntry();
        return envNames.get(first.getKey() + "." + first.getValue().keySet().iterator().next());
    }

    private static void set(ObjectNode root, KeySchema.Key key, String value) {
        String[] parts = key.path().split("\\.", -1);
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            if (child == null || child.isNull()) {
                child = parent.putObject(parts[i]);
            }
            if (!child.isObject()) {
                // the file has a scalar where a section belongs: mapping will report it by its path
                return;
            }
            parent = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (key.shape() == Shape.LIST) {
            ArrayNode items = parent.putArray(leaf);
            if (!value.isBlank()) {
                for (String item : value.split(",", -1)) {
                    items.add(item.strip());
                }
            }
        } else {
            setScalar(parent, leaf, value);
        }
    }

    private static void setScalar(ObjectNode parent, String field, String value) {
        if (value.isEmpty()) {
            parent.remove(field);
        } else {
            parent.put(field, value);
        }
    }

    private static String hint(String name) {
        Matcher m = LISTENER.matcher(name);
        if (m.matches()) {
            List<String> fields = KeySchema.envNamesForHints().stream()
                    .filter(n -> n.startsWith("RELAY_LISTENERS_0_"))
                    .map(n -> n.substring("RELAY_LISTENERS_0_".length()))
                    .toList();
            return DidYouMean.closest(m.group(2), fields)
                    .map(f -> " (did you mean RELAY_LISTENERS_" + m.group(1) + "_" + f + "?)")
                    .orElse(" (a listener has ADDRESS, STARTTLS, AUTH and IMPLICIT_TLS)");
        }
        List<String> names = KeySchema.envNamesForHints();
        String hint = DidYouMean.hint(name, names);
        if (hint.isEmpty() && name.startsWith("RELAY_LISTENERS")) {
            return " (listener fields are set one at a time: RELAY_LISTENERS_0_ADDRESS, RELAY_LISTENERS_0_STARTTLS, "
                    + "RELAY_LISTENERS_0_AUTH, RELAY_LISTENERS_0_IMPLICIT_TLS)";
        }
        return hint;
    }

}
