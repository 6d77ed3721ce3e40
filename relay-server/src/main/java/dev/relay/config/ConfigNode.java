package dev.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.relay.settings.ConfigException;
import dev.relay.settings.HostPort;
import dev.relay.settings.IpLiteral;
import dev.relay.text.DidYouMean;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One value of the YAML tree together with its key path, so that every conversion failure can
 * name the key. Absent keys and YAML nulls both read as "not given".
 */
final class ConfigNode {

    private static final int MAX_SHOWN = 60;

    private final JsonNode value;
    private final String path;
    private final Map<String, String> envOrigins;

    ConfigNode(JsonNode value, String path, Map<String, String> envOrigins) {
        this.value = value == null ? MissingNode.getInstance() : value;
        this.path = path;
        this.envOrigins = envOrigins;
    }

    String path() {
        return path;
    }

    boolean isGiven() {
        return !value.isMissingNode() && !value.isNull();
    }

    /** An error about this key, mentioning the environment variable when the value came from one. */
    ConfigException error(String detail) {
        return new ConfigException(path, detail + originSuffix());
    }

    private String originSuffix() {
        String base = path.replaceAll("\\[\\d+]$", "");
        String env = envOrigins.getOrDefault(path, envOrigins.get(base));
        return env == null ? "" : " (from " + env + ")";
    }

    /** Whether the value is exactly this text. */
    boolean isText(String text) {
        return value.isTextual() && value.textValue().equals(text);
    }

    /**
     * Checks this is a mapping whose keys are all among those the schema allows under
     * {@code schemaPrefix}; a section that is not given reads as an empty mapping.
     */
    Mapping mapping(String schemaPrefix) {
        if (!isGiven()) {
            return new Mapping(KeySchema.childrenOf(schemaPrefix));
        }
        if (!value.isObject()) {
            throw error("expected a mapping of keys to values, got " + describe());
        }
        Set<String> allowed = KeySchema.childrenOf(schemaPrefix);
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ConfigException(child(name), "unknown key" + DidYouMean.hint(name, allowed));
            }
        }
        return new Mapping(allowed);
    }

    /** The items of a list, each with its indexed path ({@code relay-networks[2]}). */
    List<ConfigNode> items() {
        if (!value.isArray()) {
            throw error("expected a list (like [a, b]), got " + describe());
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(new ConfigNode(value.get(i), path + "[" + i + "]", envOrigins));
        }
        return items;
    }

    /** Items converted one by one; an empty list when the key is not given. */
    <T> List<T> listOf(Function<ConfigNode, T> convert, List<T> whenAbsent) {
        if (!isGiven()) {
            return whenAbsent;
        }
        List<T> out = new ArrayList<>();
        for (ConfigNode item : items()) {
            out.add(convert.apply(item));
        }
        return out;
    }

    /** Text; numbers are taken as their digits (a path may well be {@code 2024}). */
    String text() {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.asText();
        }
        throw error("expected text, got " + describe());
    }

    /** Non-blank text, with surrounding spaces removed. */
    String nonBlankText() {
        String text = text().strip();
        if (text.isEmpty()) {
            throw error("must not be empty");
        }
        return text;
    }

    long integer(long min, long max) {
        long n;
        if (value.isIntegralNumber()) {
            BigInteger big = value.bigIntegerValue();
            if (big.bitLength() > 63) {
                throw error("expected a whole number from " + min + " to " + max + ", got " + describe());
            }
            n = big.longValue();
        } else if (value.isTextual() && value.textValue().strip().matches("-?\\d{1,18}")) {
            n = Long.parseLong(value.textValue().strip());
        } else {
            throw error("expected a whole number, got " + describe());
        }
        if (n < min || n > max) {
            throw error("expected a whole number from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    int intValue(int min, int max) {
        return (int) integer(min, max);
    }

    /** A TCP port; 0 (any free port) only where {@code allowZero}, for listening sockets. */
    int port(boolean allowZero) {
        return intValue(allowZero ? 0 : 1, 65535);
    }

    /** Strictly {@code true} or {@code false}: YAML 1.1's yes/no/on/off are refused. */
    boolean bool() {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw error("expected true or false, got " + describe());
    }

    long size(long min) {
        long bytes;
        if (value.isIntegralNumber()) {
            bytes = integer(0, Long.MAX_VALUE);
        } else if (value.isTextual()) {
            try {
                bytes = Units.parseSize(value.textValue());
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage() + ", got " + describe());
            }
        } else {
            throw error(Units.SIZE_HINT + ", got " + describe());
        }
        if (bytes < min) {
            throw error("must be at least " + Units.formatSize(min) + ", got " + describe());
        }
        return bytes;
    }

    Duration duration(boolean allowZero) {
        if (!value.isTextual()) {
            throw error(Units.DURATION_HINT + ", got " + describe());
        }
        Duration d;
        try {
            d = Units.parseDuration(value.textValue());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage() + ", got " + describe());
        }
        if (d.isZero() && !allowZero) {
            throw error("must be longer than zero");
        }
        return d;
    }

    /** One of the given lower-case words. */
    String choice(List<String> words) {
        if (value.isTextual() && words.contains(value.textValue())) {
            return value.textValue();
        }
        throw error("expected one of " + String.join(", ", words) + ", got " + describe());
    }

    /** {@code host:port} where host is an IP literal (IPv6 in brackets) or a DNS name. */
    HostPort hostPort(boolean allowZeroPort) {
        String text = value.isTextual() ? value.textValue().strip() : null;
        Optional<HostPort> parsed = HostPort.parse(text);
        if (parsed.isEmpty()) {
            throw error("expected host:port, like 127.0.0.1:2525 or [::1]:2525, got " + describe());
        }
        HostPort hp = parsed.get();
        if (!allowZeroPort && hp.port() == 0) {
            throw error("port must be from 1 to 65535, got " + describe());
        }
        if (IpLiteral.parse(hp.host()).isEmpty() && !HostNames.isValid(hp.host())) {
            throw error("\"" + hp.host() + "\" is neither an IP address nor a valid host name");
        }
        if (text.startsWith("[") && hp.host().indexOf(':') < 0) {
            throw error("brackets are only for IPv6 addresses, got " + describe());
        }
        return hp;
    }

    /** How the value looks, for messages: quoted text, numbers as they are, shapes by name. */
    String describe() {
        if (value.isMissingNode() || value.isNull()) {
            return "nothing";
        }
        if (value.isTextual()) {
            String t = value.textValue();
            return "\"" + (t.length() > MAX_SHOWN ? t.substring(0, MAX_SHOWN) + "..." : t) + "\"";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return value.asText();
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A checked mapping: hands out its children, which may be absent. */
    final class Mapping {
        private final Set<String> allowed;

        private Mapping(Set<String> allowed) {
            this.allowed = allowed;
        }

        ConfigNode get(String name) {
            if (!allowed.contains(name)) {
                // a programming error: the mapper asked for a key the schema does not list
                throw new IllegalStateException("key " + child(name) + " missing from KeySchema");
            }
            return new ConfigNode(value.get(name), child(name), envOrigins);
        }

        /** The child read by {@code read}, or the fallback when it is absent. */
        <T> T getOr(String name, Function<ConfigNode, T> read, T fallback) {
            ConfigNode node = get(name);
            return node.isGiven() ? read.apply(node) : fallback;
        }

        /** The child, or an error naming it when it is absent. */
        ConfigNode require(String name) {
            ConfigNode node = get(name);
            if (!node.isGiven()) {
                throw node.error("required");
            }
            return node;
        }
    }
}
