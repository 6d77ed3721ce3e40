package dev.relay.it;

import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.spool.SpoolQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Configs the integration tests run the relay with. */
public final class RelayConfigs {
    private RelayConfigs() {}

    /**
     * A relay for loopback clients only. Delivery asks a DNS server on a port where nothing
     * listens, so messages stay queued (deferred) instead of leaving the machine.
     */
    static String minimal(int smtpPort, Path spool, Path mtaStsCache) throws java.io.IOException {
        return minimal(smtpPort, spool, mtaStsCache, RelayProcess.freePort(), Optional.empty());
    }

    /** The same, with the admin server on {@code adminPort} and, when given, its token. */
    public static String minimal(int smtpPort, Path spool, Path mtaStsCache, int adminPort, Optional<String> token)
            throws java.io.IOException {
        return """
                hostname: relay.test
                listeners:
                  - address: 127.0.0.1:%d
                    starttls: off
                    auth: off
                relay-networks: [127.0.0.0/8]
                spool:
                  directory: %s
                  min-free-space: 1MB
                delivery:
                  dns:
                    servers: [127.0.0.1:%d]
                mta-sts:
                  cache-directory: %s
                admin:
                  address: 127.0.0.1:%d
                %s
                shutdown-grace: 5s
                """.formatted(smtpPort, spool, RelayProcess.freePort(), mtaStsCache, adminPort,
                token.map(t -> "  token: " + t).orElse(""));
    }

    /** Opens a spool the way the relay does at start (recovery included), for inspection. */
    static MessageQueue openSpool(Path directory) throws IOException {
        return SpoolQueue.open(directory, QueueSettings.DEFAULT, Clock.systemUTC(), QueueEvents.NONE);
    }
}
