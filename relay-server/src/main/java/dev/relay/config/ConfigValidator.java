package dev.relay.config;

import dev.relay.dns.TrustAnchors;
import dev.relay.settings.Cidr;
import dev.relay.settings.ConfigException;
import dev.relay.settings.HostPort;
import dev.relay.settings.IpLiteral;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.Mode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks that need more than one key, or the file system: they run once the records are
 * built. Errors throw; things that are legal but probably not what was meant become warnings.
 */
final class ConfigValidator {

    private final Map<String, String> envOrigins;

    ConfigValidator(Map<String, String> envOrigins) {
        this.envOrigins = envOrigins;
    }

    /** @return warnings, one line each, naming the key */
    List<String> validate(RelayConfig config) {
        List<String> warnings = new ArrayList<>();
        listeners(config, warnings);
        files(config);
        directories(config);
        queue(config);
        networks(config, warnings);
        tlsRpt(config);
        admin(config);
        return List.copyOf(warnings);
    }

    private void listeners(RelayConfig config, List<String> warnings) {
        boolean haveTls = config.tls().isPresent();
        boolean haveUsers = config.usersFile().isPresent();
        Map<HostPort, Integer> seen = new HashMap<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig l = config.listeners().get(i);
            String at = "listeners[" + i + "]";
            // port 0 asks for any free port: two of them never clash
            if (l.address().port() != 0) {
                Integer earlier = seen.putIfAbsent(canonical(l.address()), i);
                if (earlier != null) {
                    throw error(at + ".address", l.address() + " is also the address of listeners[" + earlier + "]");
                }
            }
            if (l.implicitTls() && !haveTls) {
                throw error(at + ".implicit-tls", "true needs tls.certificate and tls.key");
            }
            if (l.starttls() == Mode.REQUIRED && !haveTls) {
                throw error(at + ".starttls", "required needs tls.certificate and tls.key");
            }
            if (l.starttls() == Mode.OPTIONAL && !haveTls) {
                warnings.add(at + ".starttls: optional, but tls.certificate is not set: STARTTLS will not be offered");
            }
            boolean tlsPossible = l.implicitTls() || (l.starttls() != Mode.OFF && haveTls);
            if (l.auth() == Mode.REQUIRED) {
                if (!haveUsers) {
                    throw error(at + ".auth", "required needs users-file");
                }
                if (!l.implicitTls() && l.starttls() == Mode.OFF) {
                    throw error(at + ".auth", "required needs TLS on this listener (AUTH is offered only over TLS): "
                            + "set starttls or implicit-tls");
                }
            } else if (l.auth() == Mode.OPTIONAL) {
                if (!haveUsers) {
                    warnings.add(at + ".auth: optional, but users-file is not set: AUTH will not be offered");
                } else if (!tlsPossible) {
                    warnings.add(at + ".auth: optional, but this listener has no TLS: AUTH will not be offered "
                            + "(it is offered only over TLS)");
                }
            }
        }
    }

    private static HostPort canonical(HostPort address) {
        Optional<InetAddress> ip = IpLiteral.parse(address.host());
        return ip.map(a -> new HostPort(IpLiteral.format(a), address.port())).orElse(
                new HostPort(address.host().toLowerCase(java.util.Locale.ROOT), address.port()));
    }

    private void files(RelayConfig config) {
        config.tls().ifPresent(tls -> {
            readableFile("tls.certificate", tls.certificate());
            readableFile("tls.key", tls.key());
        });
        config.usersFile().ifPresent(f -> readableFile("users-file", f));
        config.delivery().tls().extraTrust().ifPresent(f -> readableFile("delivery.tls.extra-trust", f));
        config.delivery().dns().trustAnchors().ifPresent(f -> {
            readableFile("delivery.dns.trust-anchors", f);
            try {
                TrustAnchors.fromFile(f);
            } catch (IllegalArgumentException e) {
                throw error("delivery.dns.trust-anchors", e.getMessage());
            }
        });
    }

    private void readableFile(String key, Path file) {
        if (Files.isDirectory(file)) {
            throw error(key, file + ": is a directory, expected a file");
        }
        if (!Files.exists(file)) {
            throw error(key, file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw error(key, file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw error(key, file + ": not readable (permission denied)");
        }
    }

    private void directories(RelayConfig config) {
        // they are created at start; all we can catch now is a file in the way
        notAFile("spool.directory", config.spool().directory());
        notAFile("mta-sts.cache-directory", config.mtaSts().cacheDirectory());
    }

    private void notAFile(String key, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw error(key, dir + ": exists and is not a directory");
        }
    }

    private void queue(RelayConfig config) {
        var q = config.queue();
        q.delayWarningAfter().ifPresent(w -> {
            if (w.compareTo(q.maxLifetime()) >= 0) {
                throw error("queue.delay-warning-after", Units.formatDuration(w) + " is not shorter than queue.max-lifetime ("
                        + Units.formatDuration(q.maxLifetime()) + "), so no warning would ever be sent; shorten it or write off");
            }
        });
    }

    private static void networks(RelayConfig config, List<String> warnings) {
        for (int i = 0; i < config.relayNetworks().size(); i++) {
            String network = config.relayNetworks().get(i);
            if (Cidr.parse(network).isEverything()) {
                warnings.add("relay-networks[" + i + "]: " + network
                        + " lets every client relay without AUTH (an open relay unless a firewall stands in front)");
            }
        }
    }

    /** Reports go to other organisations: a sender they cannot answer is refused, not warned about. */
    private void tlsRpt(RelayConfig config) {
        var rpt = config.tlsRpt();
        if (!rpt.enabled()) {
            return;
        }
        String senderDomain = rpt.reportSender().substring(rpt.reportSender().lastIndexOf('@') + 1);
        if (!senderDomain.contains(".") || senderDomain.equalsIgnoreCase("localhost")) {
            throw error("tls-rpt.report-sender", rpt.reportSender() + " cannot receive replies from the domains reported to; "
                    + "set tls-rpt.report-sender to a real address (it defaults to postmaster@ the hostname)");
        }
        if (!rpt.submitter().contains(".") || rpt.submitter().equalsIgnoreCase("localhost")) {
            throw error("tls-rpt.submitter", rpt.submitter() + " does not name your organisation to the domains reported to; "
                    + "set tls-rpt.submitter to your domain (it defaults to the hostname)");
        }
    }

    private void admin(RelayConfig config) {
        var admin = config.admin();
        boolean loopback = IpLiteral.parse(admin.address().host()).map(InetAddress::isLoopbackAddress)
                .orElse(admin.address().host().equalsIgnoreCase("localhost"));
        // an open admin port lets anyone delete mail: refused, not warned (the server checks the bound address too)
        if (!loopback && admin.token().isEmpty()) {
            throw error("admin.address", admin.address() + " is not a loopback address and admin.token is not set: "
                    + "set admin.token, or bind admin.address to 127.0.0.1");
        }
    }

    private ConfigException error(String key, String detail) {
        String env = envOrigins.get(key);
        return new ConfigException(key, detail + (env == null ? "" : " (from " + env + ")"));
    }
}
