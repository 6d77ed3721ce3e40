package dev.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.config.ConfigNode.Mapping;
import dev.relay.config.RelayConfig.AdminConfig;
import dev.relay.config.RelayConfig.DeliveryConfig;
import dev.relay.config.RelayConfig.DnsConfig;
import dev.relay.config.RelayConfig.Limits;
import dev.relay.config.RelayConfig.ListenerConfig;
import dev.relay.config.RelayConfig.Mode;
import dev.relay.config.RelayConfig.MtaStsConfig;
import dev.relay.config.RelayConfig.OutboundTls;
import dev.relay.config.RelayConfig.QueueConfig;
import dev.relay.config.RelayConfig.SpoolConfig;
import dev.relay.config.RelayConfig.TlsFiles;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the YAML tree into {@link RelayConfig}, one key at a time, so that each bad value is
 * reported with its own path. Checks that involve more than one key live in
 * {@link ConfigValidator}.
 */
final class ConfigMapper {

    private static final List<String> MODES = List.of("off", "optional", "required");
    private static final String TOKEN_CHARS = "[\\x21-\\x7e]+";

    private final Map<String, String> envOrigins;
    private final Supplier<String> machineHostname;

    ConfigMapper(Map<String, String> envOrigins, Supplier<String> machineHostname) {
        this.envOrigins = envOrigins;
        this.machineHostname = machineHostname;
    }

    RelayConfig map(JsonNode tree) {
        Mapping root = new ConfigNode(tree, "", envOrigins).mapping("");
        return new RelayConfig(
                hostname(root.get("hostname")),
                listeners(root.get("listeners")),
                root.get("relay-networks").listOf(ConfigMapper::network, Defaults.RELAY_NETWORKS),
                optionalPath(root.get("users-file")),
                tls(root.get("tls")),
                limits(root.get("limits")),
                spool(root.get("spool")),
                queue(root.get("queue")),
                delivery(root.get("delivery")),
                mtaSts(root.get("mta-sts")),
                admin(root.get("admin")),
                root.get("shutdown-grace").isGiven() ? root.get("shutdown-grace").duration(true) : Defaults.SHUTDOWN_GRACE);
    }

    private String hostname(ConfigNode node) {
        if (!node.isGiven()) {
            return machineHostname.get();
        }
        String name = node.nonBlankText();
        if (!HostNames.isValid(name)) {
            throw node.error("expected a host name like relay.example.net, got " + node.describe());
        }
        return name;
    }

    private List<ListenerConfig> listeners(ConfigNode node) {
        if (!node.isGiven()) {
            return Defaults.LISTENERS;
        }
        List<ListenerConfig> listeners = node.listOf(this::listener, List.of());
        if (listeners.isEmpty()) {
            throw node.error("at least one listener is needed");
        }
        return listeners;
    }

    private ListenerConfig listener(ConfigNode node) {
        Mapping m = node.mapping(KeySchema.LISTENER_FIELDS);
        HostPort address = m.require("address").hostPort(true);
        ConfigNode implicitNode = m.get("implicit-tls");
        boolean implicitTls = implicitNode.isGiven() && implicitNode.bool();
        ConfigNode starttlsNode = m.get("starttls");
        Mode starttls;
        if (starttlsNode.isGiven()) {
            starttls = mode(starttlsNode);
            if (implicitTls && starttls != Mode.OFF) {
                throw starttlsNode.error("must be off when implicit-tls is true (the whole connection is TLS already), got "
                        + starttlsNode.describe());
            }
        } else {
            starttls = implicitTls ? Mode.OFF : Defaults.LISTENER_STARTTLS;
        }
        ConfigNode authNode = m.get("auth");
        Mode auth = authNode.isGiven() ? mode(authNode) : Defaults.LISTENER_AUTH;
        return new ListenerConfig(address, starttls, implicitTls, auth);
    }

    private static Mode mode(ConfigNode node) {
        return Mode.valueOf(node.choice(MODES).toUpperCase(Locale.ROOT));
    }

    private static String network(ConfigNode node) {
        try {
            return Cidr.parse(node.nonBlankText()).toString();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static Optional<TlsFiles> tls(ConfigNode node) {
        if (!node.isGiven()) {
            return Optional.empty();
        }
        Mapping m = node.mapping("tls");
        Optional<Path> certificate = optionalPath(m.get("certificate"));
        Optional<Path> key = optionalPath(m.get("key"));
        if (certificate.isPresent() && key.isEmpty()) {
            throw m.get("key").error("required when tls.certificate is set");
        }
        if (key.isPresent() && certificate.isEmpty()) {
            throw m.get("certificate").error("required when tls.key is set");
        }
        return certificate.map(c -> new TlsFiles(c, key.orElseThrow()));
    }

    private static Limits limits(ConfigNode node) {
        Mapping m = section(node, "limits");
        return new Limits(
                m == null || !m.get("max-message-size").isGiven() ? Defaults.MAX_MESSAGE_SIZE : m.get("max-message-size").size(1),
                intOr(m, "max-recipients", 1, Integer.MAX_VALUE, Defaults.MAX_RECIPIENTS),
                intOr(m, "max-connections", 1, Integer.MAX_VALUE, Defaults.MAX_CONNECTIONS),
                intOr(m, "max-connections-per-client", 1, Integer.MAX_VALUE, Defaults.MAX_CONNECTIONS_PER_CLIENT),
                durationOr(m, "command-timeout", Defaults.COMMAND_TIMEOUT),
                durationOr(m, "data-timeout", Defaults.DATA_TIMEOUT),
                intOr(m, "max-errors", 1, Integer.MAX_VALUE, Defaults.MAX_ERRORS));
    }

    private static SpoolConfig spool(ConfigNode node) {
        Mapping m = section(node, "spool");
        return new SpoolConfig(
                pathOr(m, "directory", Defaults.SPOOL_DIRECTORY),
                m == null || !m.get("min-free-space").isGiven() ? Defaults.MIN_FREE_SPACE : m.get("min-free-space").size(0),
                m == null || !m.get("max-messages").isGiven() ? Defaults.MAX_MESSAGES : m.get("max-messages").integer(0, Long.MAX_VALUE));
    }

    private static QueueConfig queue(ConfigNode node) {
        Mapping m = section(node, "queue");
        List<Duration> schedule = Defaults.RETRY_SCHEDULE;
        if (m != null && m.get("retry-schedule").isGiven()) {
            ConfigNode scheduleNode = m.get("retry-schedule");
            schedule = scheduleNode.listOf(item -> item.duration(false), List.of());
            if (schedule.isEmpty()) {
                throw scheduleNode.error("at least one step is needed (the last step repeats)");
            }
        }
        Optional<Duration> delayWarning = Optional.of(Defaults.DELAY_WARNING_AFTER);
        ConfigNode warningNode = m == null ? null : m.get("delay-warning-after");
        if (warningNode != null && warningNode.isGiven()) {
            delayWarning = warningNode.isText("off") ? Optional.empty() : Optional.of(durationOrOff(warningNode));
        }
        return new QueueConfig(schedule, durationOr(m, "max-lifetime", Defaults.MAX_LIFETIME), delayWarning);
    }

    private static Duration durationOrOff(ConfigNode node) {
        try {
            return node.duration(false);
        } catch (ConfigException e) {
            throw node.error(Units.DURATION_HINT + ", or off, got " + node.describe());
        }
    }

    private static DeliveryConfig delivery(ConfigNode node) {
        Mapping m = section(node, "delivery");
        List<HostPort> servers = List.of();
        Optional<Path> extraTrust = Optional.empty();
        if (m != null) {
            ConfigNode dns = m.get("dns");
            if (dns.isGiven()) {
                servers = dns.mapping("delivery.dns").get("servers").listOf(ConfigMapper::dnsServer, List.of());
            }
            ConfigNode tls = m.get("tls");
            if (tls.isGiven()) {
                extraTrust = optionalPath(tls.mapping("delivery.tls").get("extra-trust"));
            }
        }
        return new DeliveryConfig(
                m == null || !m.get("port").isGiven() ? Defaults.DELIVERY_PORT : m.get("port").port(false),
                intOr(m, "max-connections-per-domain", 1, Integer.MAX_VALUE, Defaults.MAX_CONNECTIONS_PER_DOMAIN),
                new DnsConfig(servers),
                new OutboundTls(extraTrust));
    }

    /** A resolver: an IP address with an optional port (53). Never a name: we would need DNS to find DNS. */
    private static HostPort dnsServer(ConfigNode node) {
        String text = node.nonBlankText();
        if (IpLiteral.parse(text).isPresent()) {
            return new HostPort(text, 53);
        }
        Optional<HostPort> hp = HostPort.parse(text);
        if (hp.isEmpty() || IpLiteral.parse(hp.get().host()).isEmpty() || hp.get().port() == 0) {
            throw node.error("expected an IP address with an optional port, like 192.0.2.53, 127.0.0.1:5353 or [::1]:53, got "
                    + node.describe());
        }
        return hp.get();
    }

    private static MtaStsConfig mtaSts(ConfigNode node) {
        Mapping m = section(node, "mta-sts");
        return new MtaStsConfig(
                m == null || !m.get("enabled").isGiven() ? Defaults.MTA_STS_ENABLED : m.get("enabled").bool(),
                pathOr(m, "cache-directory", Defaults.MTA_STS_CACHE_DIRECTORY),
                m == null || !m.get("https-port").isGiven() ? Defaults.MTA_STS_HTTPS_PORT : m.get("https-port").port(false));
    }

    private static AdminConfig admin(ConfigNode node) {
        Mapping m = section(node, "admin");
        HostPort address = m == null || !m.get("address").isGiven() ? Defaults.ADMIN_ADDRESS : m.get("address").hostPort(true);
        Optional<String> token = Optional.empty();
        if (m != null && m.get("token").isGiven()) {
            ConfigNode tokenNode = m.get("token");
            String value = tokenNode.text();
            // never echo a secret back, not even a bad one
            if (!value.matches(TOKEN_CHARS)) {
                throw tokenNode.error("must be printable characters without spaces");
            }
            token = Optional.of(value);
        }
        return new AdminConfig(address, token);
    }

    /** The section's mapping, or null when the whole section is left out. */
    private static Mapping section(ConfigNode node, String name) {
        return node.isGiven() ? node.mapping(name) : null;
    }

    private static int intOr(Mapping m, String key, int min, int max, int fallback) {
        return m == null || !m.get(key).isGiven() ? fallback : m.get(key).intValue(min, max);
    }

    private static Duration durationOr(Mapping m, String key, Duration fallback) {
        return m == null || !m.get(key).isGiven() ? fallback : m.get(key).duration(false);
    }

    private static Path pathOr(Mapping m, String key, Path fallback) {
        return m == null ? fallback : optionalPath(m.get(key)).orElse(fallback);
    }

    private static Optional<Path> optionalPath(ConfigNode node) {
        if (!node.isGiven()) {
            return Optional.empty();
        }
        String text = node.nonBlankText();
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            throw node.error("not a valid path: " + e.getReason());
        }
    }
}
