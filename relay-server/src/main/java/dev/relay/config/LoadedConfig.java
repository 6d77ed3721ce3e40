package dev.relay.config;

import java.util.List;
import java.util.Objects;

/**
 * A validated configuration and what was noticed while loading it.
 *
 * @param config the effective configuration
 * @param warnings legal but probably unintended settings, one line each naming the key
 *     (STARTTLS offered without a certificate, ...); the caller logs them
 * @param source where it came from: a file path, or {@code built-in defaults}
 */
public record LoadedConfig(RelayConfig config, List<String> warnings, String source) {
    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(source, "source");
    }
}
