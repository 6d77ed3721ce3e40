package dev.relay;

import static org.awaitility.Awaitility.await;

import dev.relay.queue.RecipientStatus;
import java.time.Duration;
import java.util.Optional;

/** For the whole-relay tests: waiting until the relay has deferred the mail it was given. */
final class DeferredRecipients {
    private DeferredRecipients() {}

    /** The first recipient of the first queued message, once the relay has deferred it (at most 20 s). */
    static RecipientStatus.Deferred awaitFirst(RelayApplication relay) {
        return await("a deferred recipient").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> relay.queue().list().stream().findFirst().map(m -> m.statuses().getFirst())
                                .filter(RecipientStatus.Deferred.class::isInstance).map(RecipientStatus.Deferred.class::cast),
                        Optional::isPresent)
                .orElseThrow();
    }
}
