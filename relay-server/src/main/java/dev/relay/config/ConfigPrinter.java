package dev.relay.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.relay.mtasts.MxPattern;
import dev.relay.mtasts.PolicyOverride;
import dev.relay.settings.HostPort;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.tls.TlsFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a configuration back as YAML in the same keys and units the loader reads, with every
 * key present (unset optional keys as {@code null}) and secrets masked. Loading the output gives
 * the same configuration again, but for the masked secrets.
 */
public final class ConfigPrinter {

    /** What a secret is shown as. */
    public static final String MASK = "********";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private ConfigPrinter() {}

    /** The effective configuration as YAML, secrets masked. */
    public static String effectiveYaml(RelayConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("hostname", config.hostname());
        List<Map<String, Object>> listeners = new ArrayList<>();
        for (ListenerConfig l : config.listeners()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", l.address().toString());
            m.put("starttls", l.starttls().label());
            m.put("implicit-tls", l.implicitTls());
            m.put("auth", l.auth().label());
            listeners.add(m);
        }
        root.put("listeners", listeners);
        root.put("relay-networks", config.relayNetworks());
        root.put("users-file", text(config.usersFile()));
        root.put("tls", section(
                "certificate", text(config.tls().map(TlsFiles::certificate)),
                "key", text(config.tls().map(TlsFiles::key))));
        var limits = config.limits();
        root.put("limits", section(
                "max-message-size", Units.formatSize(limits.maxMessageSize()),
                "max-recipients", limits.maxRecipients(),
                "max-connections", limits.maxConnections(),
                "max-connections-per-client", limits.maxConnectionsPerClient(),
                "exempt-relay-networks", limits.exemptRelayNetworks(),
                "command-timeout", Units.formatDuration(limits.commandTimeout()),
                "data-timeout", Units.formatDuration(limits.dataTimeout()),
                "per-record-deadline", limits.perRecordDeadline(),
                "min-data-rate", Units.formatSize(limits.minDataRate()),
                "max-errors", limits.maxErrors(),
                "max-received-headers", limits.maxReceivedHeaders(),
                "address-literal-recipients", limits.addressLiteralRecipients()));
        var spool = config.spool();
        root.put("spool", section(
                "directory", spool.directory().toString(),
                "min-free-space", Units.formatSize(spool.minFreeSpace()),
                "max-messages", spool.maxMessages()));
        var queue = config.queue();
        root.put("queue", section(
                "retry-schedule", queue.retrySchedule().stream().map(Units::formatDuration).toList(),
                "max-lifetime", Units.formatDuration(queue.maxLifetime()),
                "delay-warning-after", queue.delayWarningAfter().map(Units::formatDuration).orElse("off")));
        var delivery = config.delivery();
        root.put("delivery", section(
                "port", delivery.port(),
                "max-connections-per-domain", delivery.maxConnectionsPerDomain(),
                "dns", section("servers", delivery.dns().servers().stream().map(HostPort::toString).toList(),
                        "dnssec", delivery.dns().dnssec().label(),
                        "trust-anchors", text(delivery.dns().trustAnchors())),
                "tls", section("extra-trust", text(delivery.tls().extraTrust())),
                "requiretls", delivery.requireTls(),
                "honour-tls-required-no", delivery.honourTlsRequiredNo()));
        var sts = config.mtaSts();
        root.put("mta-sts", section(
                "enabled", sts.enabled(),
                "cache-directory", sts.cacheDirectory().toString(),
                "https-port", sts.httpsPort(),
                "policy-unknown-wait", Units.formatDuration(sts.policyUnknownWait())));
        var rpt = config.tlsRpt();
        root.put("tls-rpt", section(
                "enabled", rpt.enabled(),
                "organization-name", rpt.organizationName(),
                "contact-info", rpt.contactInfo(),
                "report-sender", rpt.reportSender(),
                "submitter", rpt.submitter(),
                "send-by-hour", rpt.sendByHour()));
        List<Map<String, Object>> overrides = new ArrayList<>();
        for (PolicyOverride o : config.tlsPolicyOverrides()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", o.domain());
            m.put("mode", o.mode().label());
            if (!o.mx().isEmpty()) {
                m.put("mx", o.mx().stream().map(MxPattern::pattern).toList());
            }
            o.until().ifPresent(until -> m.put("until", until.toString()));
            m.put("reason", o.reason());
            overrides.add(m);
        }
        root.put("tls-policy", section("overrides", overrides));
        root.put("logging", section("level", config.logLevel().map(l -> l.toLowerCase(Locale.ROOT)).orElse(null)));
        root.put("admin", section(
                "address", config.admin().address().toString(),
                "token", config.admin().token().map(t -> MASK).orElse(null)));
        root.put("network", section("io", config.network().io().label()));
        root.put("shutdown-grace", Units.formatDuration(config.shutdownGrace()));
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse(null);
    }

    private static Map<String, Object> section(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

}
