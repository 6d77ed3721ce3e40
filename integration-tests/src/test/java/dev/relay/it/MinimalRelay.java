package dev.relay.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A relay on {@link RelayConfigs#minimal} in a test's work directory (spool and MTA-STS cache in
 * it), its SMTP and admin ports picked free.
 */
public record MinimalRelay(Path work, int smtpPort, int adminPort, String config) {

    /** The configuration, with the admin API guarded by {@code token} when given. */
    public static MinimalRelay in(Path work, Optional<String> token) throws IOException {
        int smtpPort = RelayProcess.freePort();
        int adminPort = RelayProcess.freePort();
        return new MinimalRelay(work, smtpPort, adminPort,
                RelayConfigs.minimal(smtpPort, work.resolve("spool"), work.resolve("mta-sts"), adminPort, token));
    }

    /** Starts relay.jar on it, with these extra environment variables; returns once SMTP answers. */
    public RelayProcess start(Map<String, String> environment) throws IOException, InterruptedException {
        return RelayProcess.start(work, config, smtpPort, List.of(), environment);
    }
}
