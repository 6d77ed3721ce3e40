package dev.relay.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every key the configuration knows, as paths of kebab-case names ({@code limits.max-recipients};
 * {@code listeners[].address} for fields of each listener). Unknown-key checks and the
 * environment overrides both come from this one table, so they cannot disagree.
 */
final class KeySchema {

    /** Whether an environment value is one scalar or a comma-separated list. */
    enum Shape {
        SCALAR,
        LIST
    }

    record Key(String path, Shape shape) {
        /** {@code RELAY_} + upper case, with {@code _} for {@code .} and {@code -}. */
        String envName() {
            return ENV_PREFIX + path.replace("[]", "").replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
        }
    }

    static final String ENV_PREFIX = "RELAY_";
    static final String LISTENERS = "listeners";
    static final String LISTENER_FIELDS = "listeners[]";
    static final String OVERRIDE_FIELDS = "tls-policy.overrides[]";

    static final List<Key> KEYS = List.of(
            scalar("hostname"),
            scalar("listeners[].address"),
            scalar("listeners[].starttls"),
            scalar("listeners[].auth"),
            scalar("listeners[].implicit-tls"),
            list("relay-networks"),
            scalar("users-file"),
            scalar("tls.certificate"),
            scalar("tls.key"),
            scalar("limits.max-message-size"),
            scalar("limits.max-recipients"),
            scalar("limits.max-connections"),
            scalar("limits.max-connections-per-client"),
            scalar("limits.exempt-relay-networks"),
            scalar("limits.command-timeout"),
            scalar("limits.data-timeout"),
            scalar("limits.per-record-deadline"),
            scalar("limits.min-data-rate"),
            scalar("limits.max-errors"),
            scalar("limits.max-received-headers"),
            scalar("limits.address-literal-recipients"),
            scalar("spool.directory"),
            scalar("spool.min-free-space"),
            scalar("spool.max-messages"),
            list("queue.retry-schedule"),
            scalar("queue.max-lifetime"),
            scalar("queue.delay-warning-after"),
            scalar("delivery.port"),
            scalar("delivery.max-connections-per-domain"),
            list("delivery.dns.servers"),
            scalar("delivery.dns.dnssec"),
            scalar("delivery.dns.trust-anchors"),
            scalar("delivery.tls.extra-trust"),
            scalar("delivery.requiretls"),
            scalar("delivery.honour-tls-required-no"),
            scalar("mta-sts.enabled"),
            scalar("mta-sts.cache-directory"),
            scalar("mta-sts.https-port"),
            scalar("mta-sts.policy-unknown-wait"),
            scalar("tls-rpt.enabled"),
            scalar("tls-rpt.organization-name"),
            scalar("tls-rpt.contact-info"),
            scalar("tls-rpt.report-sender"),
            scalar("tls-rpt.submitter"),
            scalar("tls-rpt.send-by-hour"),
            scalar("tls-policy.overrides[].domain"),
            scalar("tls-policy.overrides[].mode"),
            list("tls-policy.overrides[].mx"),
            scalar("tls-policy.overrides[].until"),
            scalar("tls-policy.overrides[].reason"),
            scalar("logging.level"),
            scalar("admin.address"),
            scalar("admin.token"),
            scalar("network.io"),
            scalar("shutdown-grace"));

    private KeySchema() {}

    /**
     * The names allowed directly under a mapping: {@code ""} for the top level,
     * {@code "delivery.dns"} for a section, {@code "listeners[]"} for each listener.
     */
    static Set<String> childrenOf(String prefix) {
        Set<String> names = new LinkedHashSet<>();
        String start = prefix.isEmpty() ? "" : prefix + ".";
        for (Key key : KEYS) {
            if (key.path().startsWith(start)) {
                String rest = key.path().substring(start.length());
                String first = rest.split("\\.", 2)[0];
                names.add(first.endsWith("[]") ? first.substring(0, first.length() - 2) : first);
            }
        }
        return names;
    }

    /**
     * Keys outside the lists of mappings, which map one-to-one to environment names. The fields
     * of {@code tls-policy.overrides} have no environment names: an override is several keys
     * that only make sense together, written in the file.
     */
    static List<Key> plainKeys() {
        List<Key> plain = new ArrayList<>();
        for (Key key : KEYS) {
            if (!key.path().contains("[]")) {
                plain.add(key);
            }
        }
        return plain;
    }

    /** The fields of one listener, by their environment suffix ({@code IMPLICIT_TLS}). */
    static Optional<String> listenerFieldForEnvSuffix(String suffix) {
        for (Key key : KEYS) {
            if (key.path().startsWith(LISTENER_FIELDS + ".")) {
                String field = key.path().substring(LISTENER_FIELDS.length() + 1);
                if (field.replace('-', '_').toUpperCase(Locale.ROOT).equals(suffix)) {
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    /** Every environment name there is, for did-you-mean hints ({@code <n>} for listener indexes). */
    static List<String> envNamesForHints() {
        List<String> names = new ArrayList<>();
        for (Key key : KEYS) {
            if (key.path().startsWith(OVERRIDE_FIELDS)) {
                continue;
            }
            names.add(key.path().startsWith(LISTENER_FIELDS + ".")
                    ? ENV_PREFIX + "LISTENERS_0_" + key.path().substring(LISTENER_FIELDS.length() + 1)
                            .replace('-', '_').toUpperCase(Locale.ROOT)
                    : key.envName());
        }
        return names;
    }

    private static Key scalar(String path) {
        return new Key(path, Shape.SCALAR);
    }

    private static Key list(String path) {
        return new Key(path, Shape.LIST);
    }
}
