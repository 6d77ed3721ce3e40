package dev.relay.cli;

import dev.relay.config.RelayConfig;
import dev.relay.settings.HostPort;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a running relay's admin server is and which token it wants: {@code --admin HOST:PORT}
 * (else {@code admin.address} from {@code --config}, or from config/relay.yaml, or the default),
 * {@code --token} (else {@code RELAY_ADMIN_TOKEN}, else {@code admin.token} from the config).
 */
final class AdminTarget {

    static final String TOKEN_VARIABLE = "RELAY_ADMIN_TOKEN";

    @Mixin
    ConfigOption config;

    @Option(names = "--admin", paramLabel = "HOST:PORT",
            description = "The relay's admin address. Default: admin.address from the configuration.")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Admin bearer token. Default: $" + TOKEN_VARIABLE + ", else admin.token from the configuration.")
    String token;

    /** The address to connect to and the token to send. */
    Resolved resolve(Map<String, String> environment) {
        Optional<String> explicitToken = Optional.ofNullable(token).or(() -> nonBlank(environment.get(TOKEN_VARIABLE)));
        if (admin != null) {
            HostPort address = HostPort.parse(admin).filter(a -> a.port() > 0)
                    .orElseThrow(() -> new UserError("--admin: expected HOST:PORT, got '" + admin + "'"));
            // the config is only read when named: --admin alone must work without any file around
            Optional<String> configured = config.file == null ? Optional.empty() : config.load().config().admin().token();
            return new Resolved(address, explicitToken.or(() -> configured));
        }
        RelayConfig.AdminConfig configured = config.load().config().admin();
        return new Resolved(reachable(configured.address()), explicitToken.or(configured::token));
    }

    /** A relay listening on every address is reached on loopback. */
    private static HostPort reachable(HostPort bound) {
        return switch (bound.host()) {
            case "0.0.0.0" -> new HostPort("127.0.0.1", bound.port());
            case "::", "0:0:0:0:0:0:0:0" -> new HostPort("::1", bound.port());
            default -> bound;
        };
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    record Resolved(HostPort address, Optional<String> token) {}
}
