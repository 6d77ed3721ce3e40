package dev.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole effective configuration, validated once at load and immutable after. Key names
 * in YAML are the kebab-case forms of these component names (see DESIGN.md).
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
        AdminConfig admin,
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
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    public enum Mode {
        OFF,
        OPTIONAL,
        REQUIRED
    }

    /**
     * One SMTP listener.
     *
     * @param address where to bind
     * @param starttls whether STARTTLS is offered (optional) or demanded before MAIL (required)
     * @param implicitTls TLS from the first byte (port 465 style)
     * @param auth whether AUTH is offered (optional) or demanded before MAIL (required)
     */
    public record ListenerConfig(HostPort address, Mode starttls, boolean implicitTls, Mode auth) {
        public ListenerConfig {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(starttls, "starttls");
            Objects.requireNonNull(auth, "auth");
        }

        /** A name for logs and metric labels: the bound address as configured. */
        public String name() {
            return address.toString();
        }
    }

    /** PEM files for the relay's own certificate (inbound TLS). */
    public record TlsFiles(Path certificate, Path key) {
        public TlsFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Limits on what one client may do.
     *
     * @param maxMessageSize bytes, declared (SIZE=) and actual
     * @param maxRecipients per transaction
     * @param maxConnections across all listeners
     * @param maxConnectionsPerClient per client IP address
     * @param exemptRelayNetworks whether clients in relay-networks are free of
     *     {@code maxConnectionsPerClient} (a smarthost's application servers open many sessions
     *     from one address; Postfix exempts {@code $mynetworks} the same way)
     * @param commandTimeout how long a command line may take to arrive (RFC 5321 4.5.3.2.7: 5 minutes)
     * @param dataTimeout how long DATA or a BDAT chunk may go without reaching {@code minDataRate}
     *     (RFC 5321 4.5.3.2.7 uses 3 minutes for the sender's side, 5 minutes for the server)
     * @param perRecordDeadline whether the two timeouts are deadlines (Postfix's
     *     {@code smtpd_per_record_deadline}): bytes trickling in do not restart them. Off, they are
     *     idle timeouts, restarted by every byte.
     * @param minDataRate bytes per second of message content that earn more time under a
     *     deadline (Postfix's {@code smtpd_min_data_rate})
     * @param maxErrors bad commands per session before the connection is closed
     * @param maxReceivedHeaders a message with this many Received fields or more is refused as a
     *     mail loop (Postfix's {@code hopcount_limit})
     * @param addressLiteralRecipients whether {@code user@[192.0.2.1]} recipients are taken at all
     */
    public record Limits(
            long maxMessageSize,
            int maxRecipients,
            int maxConnections,
            int maxConnectionsPerClient,
            boolean exemptRelayNetworks,
            Duration commandTimeout,
            Duration dataTimeout,
            boolean perRecordDeadline,
            long minDataRate,
            int maxErrors,
            int maxReceivedHeaders,
            boolean addressLiteralRecipients) {}

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

    public record DeliveryConfig(int port, int maxConnectionsPerDomain, DnsConfig dns, OutboundTls tls) {
        public DeliveryConfig {
            Objects.requireNonNull(dns, "dns");
            Objects.requireNonNull(tls, "tls");
        }
    }

    /** @param servers resolvers to ask; empty means the system's */
    public record DnsConfig(List<HostPort> servers) {
        public DnsConfig {
            servers = List.copyOf(servers);
        }
    }

    /** @param extraTrust a PEM bundle of CAs trusted beside the system's */
    public record OutboundTls(Optional<Path> extraTrust) {
        public OutboundTls {
            Objects.requireNonNull(extraTrust, "extraTrust");
        }
    }

    public record MtaStsConfig(boolean enabled, Path cacheDirectory, int httpsPort) {
        public MtaStsConfig {
            Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        }
    }

    /** @param token bearer token guarding everything but health */
    public record AdminConfig(HostPort address, Optional<String> token) {
        public AdminConfig {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(token, "token");
        }
    }
}
