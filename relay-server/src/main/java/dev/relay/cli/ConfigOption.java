package dev.relay.cli;

import dev.relay.config.ConfigLoader;
import dev.relay.config.LoadedConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (YAML). Default: config/relay.yaml when present, else built-in defaults.")
    Path file;

    /** Loads and validates: the given file, else config/relay.yaml when present, else the defaults. */
    LoadedConfig load() {
        return ConfigLoader.withSystemEnvironment().loadFor(Optional.ofNullable(file));
    }
}
