package dev.relay.cli;

import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares, and the rule for its default. */
final class ConfigOption {

    static final Path CONVENTIONAL = Path.of("config", "relay.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (YAML). Default: config/relay.yaml when present, else built-in defaults.")
    Path file;

    /** The file that will be read, if any. */
    Optional<Path> effectiveFile() {
        if (file != null) {
            return Optional.of(file);
        }
        return Files.isRegularFile(CONVENTIONAL) ? Optional.of(CONVENTIONAL) : Optional.empty();
    }

    RelayConfig load() {
        return ConfigLoader.load(effectiveFile(), System.getenv());
    }

    String describeSource() {
        return effectiveFile().map(Path::toString).orElse("built-in defaults");
    }
}
