package dev.relay.config;

import dev.relay.dns.DnsSettings;
import dev.relay.mtasts.PolicyOverride;
import dev.relay.network.NetworkIo;
import dev.relay.settings.HostPort;
import dev.relay.smtp.server.Limits;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.tlsrpt.TlsRptSettings;
import dev.relay.tls.OutboundTls;
import dev.relay.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole effective configuration, validated once at load and immutable after. Key names
 * in YAML are the kebab-case forms of these component names (see DESIGN.md).
 *
 * @param tlsPolicyOverrides {@code tls-policy.overrides}, in file order
 * @param logLevel {@code logging.level} as a Logback level name ({@code DEBUG}); empty when the
 *     file leaves the level to {@code RELAY_LOG_LEVEL} and {@code logback.xml}
 */
public record RelayConfig(
        String hostname,
        List<ListenerConfig> listeners,
        List<String> relayNetworks,
        Optional<Path> usersFile,
        Optional<TlsFiles> tls,
        Limits limits,
        SpoolConfig spool,
        QueueConfig queue,
        DeliveryConfig delivery,
        MtaStsConfig mtaSts,
        TlsRptSettings tlsRpt,
        List<PolicyOverride> tlsPolicyOverrides,
        Optional<String> logLevel,
        AdminConfig admin,
        NetworkConfig network,
        Duration shutdownGrace) {

    public RelayConfig {
        Objects.requireNonNull(hostname, "hostname");
        listeners = List.copyOf(listeners);
        relayNetworks = List.copyOf(relayNetworks);
        Objects.requireNonNull(usersFile, "usersFile");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(mtaSts, "mtaSts");
        Objects.requireNonNull(tlsRpt, "tlsRpt");
        tlsPolicyOverrides = List.copyOf(tlsPolicyOverrides);
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    /**
     * @param directory where the spool lives
     * @param minFreeSpace below this many free bytes on its file system, new mail gets 452
     * @param maxMessages above this many queued messages, new mail gets 452 (0: no cap)
     */
    public record SpoolConfig(Path directory, long minFreeSpace, long maxMessages) {
        public SpoolConfig {
            Objects.requireNonNull(directory, "directory");
        }
    }

    public record QueueConfig(List<Duration> retrySchedule, Duration maxLifetime, Optional<Duration> delayWarningAfter) {
        public QueueConfig {
            retrySchedule = List.copyOf(retrySchedule);
            Objects.requireNonNull(maxLifetime, "maxLifetime");
            Objects.requireNonNull(delayWarningAfter, "delayWarningAfter");
        }
    }

    /**
     * @param requireTls {@code delivery.requiretls}: listeners announce REQUIRETLS (RFC 8689) inside
     *     TLS and take {@code MAIL FROM:<...> REQUIRETLS}; queued REQUIRETLS mail is honoured either way
     * @param honourTlsRequiredNo {@code delivery.honour-tls-required-no}: a message's
     *     {@code TLS-Required: No} makes it go as without the domain's TLS policy
     */
    public record DeliveryConfig(int port, int maxConnectionsPerDomain, DnsSettings dns, OutboundTls tls,
            boolean requireTls, boolean honourTlsRequiredNo) {
        public DeliveryConfig {
            Objects.requireNonNull(dns, "dns");
            Objects.requireNonNull(tls, "tls");
        }
    }

    /**
     * @param policyUnknownWait how long a message waits when whether its domain has a policy
     *     cannot be found out (the {@code _mta-sts} TXT lookup fails, nothing cached) before it
     *     is delivered as without one
     */
    public record MtaStsConfig(boolean enabled, Path cacheDirectory, int httpsPort, Duration policyUnknownWait) {
        public MtaStsConfig {
            Objects.requireNonNull(cacheDirectory, "cacheDirectory");
            Objects.requireNonNull(policyUnknownWait, "policyUnknownWait");
        }
    }

    /** @param token bearer token guarding everything but health */
    public record AdminConfig(HostPort address, Optional<String> token) {
        public AdminConfig {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(token, "token");
        }
    }

    /** @param io {@code network.io}: what the SMTP event loops run on */
    public record NetworkConfig(NetworkIo io) {
        public NetworkConfig {
            Objects.requireNonNull(io, "io");
        }
    }
}
