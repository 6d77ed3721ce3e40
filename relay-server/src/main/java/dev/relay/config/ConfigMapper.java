package dev.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.config.ConfigNode.Mapping;
import dev.relay.config.RelayConfig.AdminConfig;
import dev.relay.config.RelayConfig.DeliveryConfig;
import dev.relay.config.RelayConfig.MtaStsConfig;
import dev.relay.config.RelayConfig.NetworkConfig;
import dev.relay.config.RelayConfig.QueueConfig;
import dev.relay.config.RelayConfig.SpoolConfig;
import dev.relay.dns.DnsSettings;
import dev.relay.dns.DnssecMode;
import dev.relay.network.NetworkIo;
import dev.relay.settings.Cidr;
import dev.relay.settings.ConfigException;
import dev.relay.settings.HostPort;
import dev.relay.settings.IpLiteral;
import dev.relay.smtp.server.Limits;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.Mode;
import dev.relay.tls.OutboundTls;
import dev.relay.tls.TlsFiles;
import dev.relay.tlsrpt.TlsRptSettings;
import dev.relay.mtasts.MxPattern;
import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyOverride;
import java.nio.file.InvalidPathException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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

    private static final List<String> MODES = Arrays.stream(Mode.values()).map(Mode::label).toList();
    private static final List<String> DNSSEC_MODES = Arrays.stream(DnssecMode.values()).map(DnssecMode::label).toList();
    private static final List<String> NETWORK_IO = Arrays.stream(NetworkIo.values()).map(NetworkIo::label).toList();
    private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    private static final List<String> OVERRIDE_MODES = Arrays.stream(PolicyMode.values()).map(PolicyMode::label).toList();
    private static final String TOKEN_CHARS = "[\\x21-\\x7e]+";

    private final Map<String, String> envOrigins;
    private final Supplier<String> machineHostname;

    ConfigMapper(Map<String, String> envOrigins, Supplier<String> machineHostname) {
        this.envOrigins = envOrigins;
        this.machineHostname = machineHostname;
    }

    RelayConfig map(JsonNode tree) {
        Mapping root = new ConfigNode(tree, "", envOrigins).mapping("");
        String hostname = hostname(root.get("hostname"));
        return new RelayConfig(
                hostname,
                listeners(root.get("listeners")),
                root.get("relay-networks").listOf(ConfigMapper::network, Defaults.RELAY_NETWORKS),
                optionalPath(root.get("users-file")),
                tls(root.get("tls")),
                limits(root.get("limits")),
                spool(root.get("spool")),
                queue(root.get("queue")),
                delivery(root.get("delivery")),
                mtaSts(root.get("mta-sts")),
                tlsRpt(root.get("tls-rpt"), hostname),
                overrides(root.get("tls-policy").mapping("tls-policy").get("overrides")),
                logLevel(root.get("logging")),
                admin(root.get("admin")),
                networkConfig(root.get("network")),
                root.getOr("shutdown-grace", n -> n.duration(true), Defaults.SHUTDOWN_GRACE));
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
        boolean implicitTls = m.getOr("implicit-tls", ConfigNode::bool, false);
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
        Mode auth = m.getOr("auth", ConfigMapper::mode, Defaults.LISTENER_AUTH);
        return new ListenerConfig(address, starttls, implicitTls, auth);
    }

    private static Mode mode(ConfigNode node) {
        return Mode.fromLabel(node.choice(MODES)).orElseThrow();
    }

    private static String network(ConfigNode node) {
        try {
            return Cidr.parse(node.nonBlankText()).toString();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static Optional<TlsFiles> tls(ConfigNode node) {
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
        Mapping m = node.mapping("limits");
        return new Limits(
                m.getOr("max-message-size", n -> n.size(1), Defaults.MAX_MESSAGE_SIZE),
                m.getOr("max-recipients", n -> n.intValue(1, Integer.MAX_VALUE), Defaults.MAX_RECIPIENTS),
                m.getOr("max-connections", n -> n.intValue(1, Integer.MAX_VALUE), Defaults.MAX_CONNECTIONS),
                m.getOr("max-connections-per-client", n -> n.intValue(1, Integer.MAX_VALUE), Defaults.MAX_CONNECTIONS_PER_CLIENT),
                m.getOr("exempt-relay-networks", ConfigNode::bool, Defaults.EXEMPT_RELAY_NETWORKS),
                m.getOr("command-timeout", n -> n.duration(false), Defaults.COMMAND_TIMEOUT),
                m.getOr("data-timeout", n -> n.duration(false), Defaults.DATA_TIMEOUT),
                m.getOr("per-record-deadline", ConfigNode::bool, Defaults.PER_RECORD_DEADLINE),
                m.getOr("min-data-rate", n -> n.size(1), Defaults.MIN_DATA_RATE),
                m.getOr("max-errors", n -> n.intValue(1, Integer.MAX_VALUE), Defaults.MAX_ERRORS),
                m.getOr("max-received-headers", n -> n.intValue(1, Integer.MAX_VALUE), Defaults.MAX_RECEIVED_HEADERS),
                m.getOr("address-literal-recipients", ConfigNode::bool, Defaults.ADDRESS_LITERAL_RECIPIENTS));
    }

    private static SpoolConfig spool(ConfigNode node) {
        Mapping m = node.mapping("spool");
        return new SpoolConfig(
                pathOr(m, "directory", Defaults.SPOOL_DIRECTORY),
                m.getOr("min-free-space", n -> n.size(0), Defaults.MIN_FREE_SPACE),
                m.getOr("max-messages", n -> n.integer(0, Long.MAX_VALUE), Defaults.MAX_MESSAGES));
    }

    private static QueueConfig queue(ConfigNode node) {
        Mapping m = node.mapping("queue");
        List<Duration> schedule = Defaults.RETRY_SCHEDULE;
        if (m.get("retry-schedule").isGiven()) {
            ConfigNode scheduleNode = m.get("retry-schedule");
            schedule = scheduleNode.listOf(item -> item.duration(false), List.of());
            if (schedule.isEmpty()) {
                throw scheduleNode.error("at least one step is needed (the last step repeats)");
            }
        }
        Optional<Duration> delayWarning = Optional.of(Defaults.DELAY_WARNING_AFTER);
        ConfigNode warningNode = m.get("delay-warning-after");
        if (warningNode.isGiven()) {
            delayWarning = warningNode.isText("off") ? Optional.empty() : Optional.of(durationOrOff(warningNode));
        }
        return new QueueConfig(schedule, m.getOr("max-lifetime", n -> n.duration(false), Defaults.MAX_LIFETIME), delayWarning);
    }

    private static Duration durationOrOff(ConfigNode node) {
        try {
            return node.duration(false);
        } catch (ConfigException e) {
            throw node.error(Units.DURATION_HINT + ", or off, got " + node.describe());
        }
    }

    private static DeliveryConfig delivery(ConfigNode node) {
        Mapping m = node.mapping("delivery");
        Mapping dns = m.get("dns").mapping("delivery.dns");
        List<HostPort> servers = dns.get("servers").listOf(ConfigMapper::dnsServer, List.of());
        DnssecMode dnssec = dns.getOr("dnssec", n -> DnssecMode.fromLabel(n.choice(DNSSEC_MODES)).orElseThrow(),
                DnssecMode.VALIDATE);
        Optional<Path> trustAnchors = optionalPath(dns.get("trust-anchors"));
        Optional<Path> extraTrust = optionalPath(m.get("tls").mapping("delivery.tls").get("extra-trust"));
        return new DeliveryConfig(
                m.getOr("port", n -> n.port(false), Defaults.DELIVERY_PORT),
                m.getOr("max-connections-per-domain", n -> n.intValue(1, Integer.MAX_VALUE), Defaults.MAX_CONNECTIONS_PER_DOMAIN),
                new DnsSettings(servers, dnssec, trustAnchors),
                new OutboundTls(extraTrust),
                m.getOr("requiretls", ConfigNode::bool, Defaults.REQUIRETLS),
                m.getOr("honour-tls-required-no", ConfigNode::bool, Defaults.HONOUR_TLS_REQUIRED_NO));
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
        Mapping m = node.mapping("mta-sts");
        return new MtaStsConfig(
                m.getOr("enabled", n -> n.bool(), Defaults.MTA_STS_ENABLED),
                pathOr(m, "cache-directory", Defaults.MTA_STS_CACHE_DIRECTORY),
                m.getOr("https-port", n -> n.port(false), Defaults.MTA_STS_HTTPS_PORT),
                m.getOr("policy-unknown-wait", n -> n.duration(true), Defaults.MTA_STS_POLICY_UNKNOWN_WAIT));
    }

    /** Names default to the relay's hostname: the submitter is this relay, the sender its postmaster. */
    private static TlsRptSettings tlsRpt(ConfigNode node, String hostname) {
        Mapping m = node.mapping("tls-rpt");
        String submitter = hostname;
        if (m.get("submitter").isGiven()) {
            ConfigNode submitterNode = m.get("submitter");
            submitter = submitterNode.nonBlankText();
            if (!HostNames.isValid(submitter)) {
                throw submitterNode.error("expected a domain like example.org, got " + submitterNode.describe());
            }
        }
        String sender = Defaults.TLS_RPT_SENDER_LOCAL_PART + "@" + hostname;
        if (m.get("report-sender").isGiven()) {
            ConfigNode senderNode = m.get("report-sender");
            sender = senderNode.nonBlankText();
            int at = sender.lastIndexOf('@');
            if (at <= 0 || sender.indexOf('@') != at || !HostNames.isValid(sender.substring(at + 1))
                    || sender.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '<' || c == '>')) {
                throw senderNode.error("expected a mail address like tls-reports@example.org, got " + senderNode.describe());
            }
        }
        String sendersChoice = sender;
        return new TlsRptSettings(
                m.getOr("enabled", ConfigNode::bool, Defaults.TLS_RPT_ENABLED),
                m.getOr("organization-name", ConfigNode::nonBlankText, hostname),
                m.getOr("contact-info", ConfigNode::nonBlankText, sendersChoice),
                sender,
                submitter,
                m.getOr("send-by-hour", n -> n.intValue(1, 23), Defaults.TLS_RPT_SEND_BY_HOUR));
    }

    /** {@code logging.level}, as Logback names levels. */
    private static Optional<String> logLevel(ConfigNode node) {
        ConfigNode level = node.mapping("logging").get("level");
        return level.isGiven() ? Optional.of(level.choice(LOG_LEVELS).toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    /** {@code tls-policy.overrides}: one domain at most once, MX patterns exactly for enforce. */
    private static List<PolicyOverride> overrides(ConfigNode node) {
        List<PolicyOverride> overrides = new ArrayList<>();
        Set<String> domains = new HashSet<>();
        for (ConfigNode item : node.isGiven() ? node.items() : List.<ConfigNode>of()) {
            Mapping m = item.mapping(KeySchema.OVERRIDE_FIELDS);
            ConfigNode domainNode = m.require("domain");
            String domain = domainNode.nonBlankText().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            if (!HostNames.isValid(domain)) {
                throw domainNode.error("expected a domain like example.org, got " + domainNode.describe());
            }
            if (!domains.add(domain)) {
                throw domainNode.error("the domain " + domain + " has an override already; one per domain");
            }
            ConfigNode modeNode = m.require("mode");
            PolicyMode mode = PolicyMode.fromLabel(modeNode.choice(OVERRIDE_MODES)).orElseThrow();
            ConfigNode mxNode = m.get("mx");
            List<MxPattern> mx = mxNode.listOf(ConfigMapper::mxPattern, List.of());
            if (mode == PolicyMode.ENFORCE && mx.isEmpty()) {
                throw mxNode.error("mode enforce needs the MX host patterns mail may go to, like [mx1.example.org, "
                        + "\"*.mail.example.org\"]");
            }
            if (mode != PolicyMode.ENFORCE && mxNode.isGiven()) {
                throw mxNode.error("only mode enforce takes MX patterns (" + mode.label()
                        + " applies to the domain's own policy)");
            }
            ConfigNode untilNode = m.get("until");
            Optional<Instant> until = untilNode.isGiven() ? Optional.of(instant(untilNode)) : Optional.empty();
            ConfigNode reasonNode = m.require("reason");
            overrides.add(new PolicyOverride(domain, mode, mx, until, reasonNode.nonBlankText(),
                    new PolicyOverride.FromConfig(overrides.size())));
        }
        return overrides;
    }

    private static MxPattern mxPattern(ConfigNode node) {
        String text = node.nonBlankText();
        return MxPattern.parse(text).orElseThrow(() -> node.error(
                "expected an MX host name or a pattern like *.mail.example.org, got " + node.describe()));
    }

    /** A UTC time ({@code 2026-12-31T18:00:00Z}) or a date ({@code 2026-12-31}: its start, UTC). */
    private static Instant instant(ConfigNode node) {
        String text = node.nonBlankText();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw node.error("expected a date like 2026-12-31 or a UTC time like 2026-12-31T18:00:00Z, got "
                        + node.describe());
            }
        }
    }

    private static NetworkConfig networkConfig(ConfigNode node) {
        Mapping m = node.mapping("network");
        return new NetworkConfig(m.getOr("io", n -> NetworkIo.fromLabel(n.choice(NETWORK_IO)).orElseThrow(),
                NetworkIo.AUTO));
    }

    private static AdminConfig admin(ConfigNode node) {
        Mapping m = node.mapping("admin");
        HostPort address = m.getOr("address", n -> n.hostPort(true), Defaults.ADMIN_ADDRESS);
        Optional<String> token = Optional.empty();
        if (m.get("token").isGiven()) {
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


    private static Path pathOr(Mapping m, String key, Path fallback) {
        return optionalPath(m.get(key)).orElse(fallback);
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
