package dev.relay;

import ch.qos.logback.classic.Level;
import dev.relay.admin.ReloadOutcome;
import dev.relay.auth.Authenticator;
import dev.relay.auth.UsersFile;
import dev.relay.config.LoadedConfig;
import dev.relay.config.RelayConfig;
import dev.relay.metrics.RelayMetrics;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.mtasts.PolicyOverride;
import dev.relay.settings.ConfigException;
import dev.relay.settings.HostPort;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.ConnectionLimiter;
import dev.relay.smtp.server.RelayNetworks;
import dev.relay.smtp.server.SmtpServer;
import dev.relay.smtp.server.SmtpSettings;
import dev.relay.tls.ServerTlsContext;
import dev.relay.tlspolicy.TlsPolicyOverrides;
import io.netty.handler.ssl.SslContext;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reload ({@code SIGHUP}, {@code relay.jar reload}): re-reads the configuration and applies what
 * can change while the relay runs, for what happens from then on. Connections, transactions and
 * deliveries in progress go on as they started. Everything that can fail (the file, a key, the
 * certificate, the users file) is checked before anything changes, so a bad configuration is
 * refused whole with one log line and the running one stays. Keys that only a restart can apply
 * keep their running values and are named.
 */
final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    /**
     * Keys (and sections) whose new values need a restart: what is bound, opened or built once
     * at start (listeners, spool, resolver, client TLS, the MTA-STS service, the admin server).
     */
    static final List<String> RESTART_ONLY = List.of("hostname", "listeners", "spool.directory",
            "spool.min-free-space", "queue.delay-warning-after", "delivery.dns", "delivery.tls", "mta-sts.enabled",
            "mta-sts.cache-directory", "mta-sts.https-port", "tls-rpt", "admin", "delivery.requiretls",
            "delivery.honour-tls-required-no", "network");

    private final Supplier<LoadedConfig> source;
    private final List<SmtpServer> servers;
    private final ConnectionLimiter limiter;
    private final SpoolQueue queue;
    private final Delivery delivery;
    private final TlsPolicyOverrides overrides;
    private final RelayMetrics metrics;
    private final Optional<Level> startLevel;
    private RelayConfig running;

    Reloader(RelayConfig running, Supplier<LoadedConfig> source, List<SmtpServer> servers, ConnectionLimiter limiter,
            SpoolQueue queue, Delivery delivery, TlsPolicyOverrides overrides, RelayMetrics metrics) {
        this.running = running;
        this.source = source;
        this.servers = List.copyOf(servers);
        this.limiter = limiter;
        this.queue = queue;
        this.delivery = delivery;
        this.overrides = overrides;
        this.metrics = metrics;
        this.startLevel = Optional.ofNullable(relayLogger().getLevel());
        running.logLevel().ifPresent(level -> relayLogger().setLevel(Level.toLevel(level)));
    }

    /** The configuration in force: the last one applied, with the restart-only values of the start. */
    synchronized RelayConfig running() {
        return running;
    }

    /** Re-reads and applies; {@code who} asked (a signal, an admin client), for the log. */
    synchronized ReloadOutcome reload(String who) {
        String from = "the configuration";
        try {
            LoadedConfig loaded = source.get();
            from = loaded.source();
            return apply(loaded, who);
        } catch (ConfigException | IllegalArgumentException | java.io.UncheckedIOException e) {
            log.error("reload (asked by {}) refused, the running configuration stays in force: {}", who, e.getMessage());
            return ReloadOutcome.refused(from, e.getMessage());
        }
    }

    private ReloadOutcome apply(LoadedConfig loaded, String who) {
        RelayConfig fresh = loaded.config();
        RelayConfig old = running;
        List<String> changed = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        diff("", old, fresh, changed, restart);
        // what can fail is prepared first; nothing changes until all of it worked
        Optional<SslContext> serverTls = fresh.tls().map(ServerTlsContext::load);
        Optional<Instant> expiry = fresh.tls().map(ServerTlsContext::expiry);
        Authenticator authenticator = fresh.usersFile().<Authenticator>map(UsersFile::load).orElse(Authenticator.NONE);
        RelayNetworks networks = RelayNetworks.parse(fresh.relayNetworks());
        List<Runnable> listeners = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            SmtpSettings settings = new SmtpSettings(old.hostname(), old.listeners().get(i), fresh.limits(), networks);
            try {
                listeners.add(servers.get(i).reconfiguration(settings, authenticator, serverTls));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("listeners[" + i + "]", e.getMessage());
            }
        }
        RelayConfig next = inForce(old, fresh);
        RetrySchedule schedule = new RetrySchedule(next.queue().retrySchedule(), next.queue().maxLifetime());

        listeners.forEach(Runnable::run);
        limiter.setLimits(next.limits().maxConnections(), next.limits().maxConnectionsPerClient());
        queue.reconfigure(schedule, next.spool().maxMessages());
        delivery.reconfigure(next);
        overrides.configure(next.tlsPolicyOverrides());
        metrics.serverCertificate(expiry);
        relayLogger().setLevel(next.logLevel().map(Level::toLevel).orElse(startLevel.orElse(null)));
        running = next;

        List<String> reread = new ArrayList<>();
        fresh.usersFile().ifPresent(users -> reread.add("users file " + users));
        fresh.tls().ifPresent(files -> reread.add("certificate " + files.certificate() + " (valid until "
                + expiry.orElseThrow() + ")"));
        log.info("reload (asked by {}): applied {}: {}{}", who, loaded.source(),
                changed.isEmpty() ? "no key changed" : "changed " + String.join(", ", changed),
                reread.isEmpty() ? "" : "; " + String.join(" and ", reread) + " read again");
        if (!restart.isEmpty()) {
            log.warn("reload: {} changed but {} only at a restart; the running {} in force until then",
                    String.join(", ", restart), restart.size() == 1 ? "applies" : "apply",
                    restart.size() == 1 ? "value stays" : "values stay");
        }
        loaded.warnings().forEach(warning -> log.warn("config: {}", warning));
        return new ReloadOutcome(true, loaded.source(), changed, restart, Optional.empty());
    }

    /** The new configuration with the restart-only values still those of the start. */
    private static RelayConfig inForce(RelayConfig old, RelayConfig fresh) {
        return new RelayConfig(old.hostname(), old.listeners(), fresh.relayNetworks(), fresh.usersFile(), fresh.tls(),
                fresh.limits(),
                new RelayConfig.SpoolConfig(old.spool().directory(), old.spool().minFreeSpace(),
                        fresh.spool().maxMessages()),
                new RelayConfig.QueueConfig(fresh.queue().retrySchedule(), fresh.queue().maxLifetime(),
                        old.queue().delayWarningAfter()),
                new RelayConfig.DeliveryConfig(fresh.delivery().port(), fresh.delivery().maxConnectionsPerDomain(),
                        old.delivery().dns(), old.delivery().tls(), old.delivery().requireTls(),
                        old.delivery().honourTlsRequiredNo()),
                new RelayConfig.MtaStsConfig(old.mtaSts().enabled(), old.mtaSts().cacheDirectory(),
                        old.mtaSts().httpsPort(), fresh.mtaSts().policyUnknownWait()),
                old.tlsRpt(), fresh.tlsPolicyOverrides(), fresh.logLevel(), old.admin(), old.network(),
                fresh.shutdownGrace());
    }

    /**
     * Walks two configurations key by key (records by component, lists of records by index) and
     * sorts each key whose value differs into live or restart-only, in config key names.
     */
    private static void diff(String path, Object a, Object b, List<String> live, List<String> restart) {
        if (a.equals(b)) {
            return;
        }
        // a key's value that happens to be a record (an address, an override) is one value
        if (a instanceof Record && a.getClass() == b.getClass() && !(a instanceof HostPort)
                && !(a instanceof PolicyOverride)) {
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                diff(child(path, keyName(component.getName())), value(component, a), value(component, b), live, restart);
            }
            return;
        }
        if (a instanceof List<?> as && b instanceof List<?> bs && as.size() == bs.size() && !as.isEmpty()
                && as.getFirst() instanceof ListenerConfig) {
            for (int i = 0; i < as.size(); i++) {
                diff(path + "[" + i + "]", as.get(i), bs.get(i), live, restart);
            }
            return;
        }
        String key = path.replaceAll("\\[\\d+]", "");
        boolean needsRestart = RESTART_ONLY.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + ".")
                || path.startsWith(k + "["));
        (needsRestart ? restart : live).add(path);
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            Object value = component.getAccessor().invoke(record);
            return value == null ? Optional.empty() : value;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a record's accessor is public", e);
        }
    }

    /** {@code maxConnectionsPerClient} is {@code max-connections-per-client}; two keys sit elsewhere. */
    private static String keyName(String component) {
        return switch (component) {
            case "tlsPolicyOverrides" -> "tls-policy.overrides";
            case "logLevel" -> "logging.level";
            default -> component.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        };
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static ch.qos.logback.classic.Logger relayLogger() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.relay");
    }
}
