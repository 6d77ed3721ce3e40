package dev.relay.it;

import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.testkit.ChildRelayYaml;
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
        return ChildRelayYaml.minimal(smtpPort, spool, RelayProcess.freePort(), mtaStsCache, adminPort)
                + token.map(t -> "  token: " + t + "\n").orElse("")
                + "shutdown-grace: 5s\n";
    }

    /** Opens a spool the way the relay does at start (recovery included), for inspection. */
    static MessageQueue openSpool(Path directory) throws IOException {
        return SpoolQueue.open(directory, QueueSettings.DEFAULT, Clock.systemUTC(), QueueEvents.NONE);
    }
}
