package dev.relay.delivery;

import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, after each recorded attempt, whether a message is due its one delay warning: it has
 * waited at least {@code after} since arrival, recipients are still deferred, the sender is not
 * {@code <>}, and the queue has no mark yet. The mark is set (durably) before the notifier
 * hears of it, and only the caller that set it notifies, so a warning goes out at most once per
 * message, across restarts too; a crash between the two loses that warning rather than
 * doubling it.
 *
 * <p>Checked after attempts only, as Postfix does: a message whose retries are hours apart is
 * warned at the first attempt past the threshold, not at the threshold itself.
 */
final class DelayWarnings {
    private static final Logger log = LoggerFactory.getLogger(DelayWarnings.class);
    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    private final Duration after;
    private final DelayNotifier notifier;
    private final MessageQueue queue;
    private final Clock clock;
    private final Executor executor;

    DelayWarnings(Duration after, DelayNotifier notifier, MessageQueue queue, Clock clock, Executor executor) {
        this.after = after;
        this.notifier = notifier;
        this.queue = queue;
        this.clock = clock;
        this.executor = executor;
    }

    /** Warns if {@code recorded} (a message just recorded) is due its warning; the future never fails. */
    CompletableFuture<Void> afterAttempt(QueuedMessage recorded) {
        if (recorded.delayWarned() || recorded.envelope().hasNullSender()) {
            return NOTHING;
        }
        Instant now = clock.instant();
        Duration waited = Duration.between(recorded.envelope().arrival(), now);
        if (waited.compareTo(after) < 0) {
            return NOTHING;
        }
        List<Integer> deferred = deferred(recorded);
        if (deferred.isEmpty()) {
            return NOTHING;
        }
        return queue.markDelayWarned(recorded.id()).thenAcceptAsync(mine -> {
            if (!mine) {
                return; // warned before (or gone meanwhile)
            }
            log.info("delay warning id={} waited={} deferred={}", recorded.id(), waited, deferred.size());
            notifier.delayed(recorded, deferred);
        }, executor).exceptionally(error -> {
            log.warn("delay warning for {} failed: {}", recorded.id(), error.toString());
            return null;
        });
    }

    private static List<Integer> deferred(QueuedMessage message) {
        List<Integer> deferred = new ArrayList<>();
        for (int i = 0; i < message.statuses().size(); i++) {
            if (message.statuses().get(i) instanceof RecipientStatus.Deferred) {
                deferred.add(i);
            }
        }
        return deferred;
    }
}
