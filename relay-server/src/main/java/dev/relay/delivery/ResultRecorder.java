package dev.relay.delivery;

import dev.relay.outcome.Outcome;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows an attempt: its outcomes go to the queue (durably), recipients that became
 * Failed go to the {@link BounceHandler} with the original body, a late message to the delay
 * warnings, and every recipient the attempt made final to the {@link DeliveryEvents}.
 *
 * <p>Threads: the queue completes its future on the spool's thread; everything but the common
 * case (all delivered, nothing to hand over) hops to the scheduler's worker.
 */
final class ResultRecorder {
    private static final Logger log = LoggerFactory.getLogger(DeliveryScheduler.class);
    /** The attempt log's logger: one final line per message, so it can be followed by its queue id to the end. */
    private static final Logger attempts = LoggerFactory.getLogger("dev.relay.delivery.attempts");

    /** Told once the recording and its hand-overs are over. */
    interface Done {
        void finished(boolean dueLater);
    }

    private final MessageQueue queue;
    private final BounceHandler bounces;
    private final Optional<DelayWarnings> delayWarnings;
    private final DeliveryEvents events;
    private final Executor worker;

    ResultRecorder(MessageQueue queue, BounceHandler bounces, Optional<DelayWarnings> delayWarnings,
            DeliveryEvents events, Executor worker) {
        this.queue = queue;
        this.bounces = bounces;
        this.delayWarnings = delayWarnings;
        this.events = events;
        this.worker = worker;
    }

    /**
     * Records {@code results} for {@code before} (a message handed out by the queue) and hands
     * over what follows; {@code done} is told once everything is over, with whether the message
     * went back to the queue with recipients still open (it may fall due soon).
     */
    void record(QueuedMessage before, Map<Integer, Outcome> results, Done done) {
        // a DSN quotes the original, and a message whose recipients all end leaves the spool
        // with its body as it is recorded: open the body first whenever a bounce is possible
        Optional<InputStream> original = results.values().stream().allMatch(r -> r instanceof Outcome.Delivered)
                ? Optional.empty()
                : openBody(before.id());
        queue.recordResults(before.id(), results).whenComplete((after, error) -> {
            if (error == null && original.isEmpty() && after.isComplete()) {
                // every recipient delivered, nothing to hand over: finishing here, on the spool's
                // thread, spares a hop to the worker (a thread wake-up per message)
                reportFinishedQuietly(before, after, results);
                done.finished(false);
                return;
            }
            try {
                worker.execute(() -> afterRecording(before, results, original, after, error, done));
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                original.ifPresent(BounceHandler::closeQuietly);
                done.finished(false);
            }
        });
    }

    /** Bounces and the delay warning for a recorded attempt, on the worker. */
    private void afterRecording(QueuedMessage before, Map<Integer, Outcome> results, Optional<InputStream> original,
            QueuedMessage after, Throwable error, Done done) {
        boolean handedOver = false;
        CompletableFuture<Void> warned = CompletableFuture.completedFuture(null);
        // back in the queue with open recipients: it may fall due before the loop's planned wake
        boolean dueLater = error != null || !after.isComplete();
        try {
            if (error != null) {
                log.error("delivery: recording results of {} failed: {}", before.id(), error.toString());
                return;
            }
            List<Integer> newlyFailed = new ArrayList<>();
            for (int i : results.keySet()) {
                if (!before.statuses().get(i).isFinal() && after.statuses().get(i) instanceof RecipientStatus.Failed) {
                    newlyFailed.add(i);
                }
            }
            reportFinishedQuietly(before, after, results);
            if (!newlyFailed.isEmpty()) {
                newlyFailed.sort(null);
                try {
                    handedOver = true;
                    bounces.failed(after, List.copyOf(newlyFailed), original);
                } catch (RuntimeException e) {
                    log.error("delivery: bounce handler failed for {}: {}", before.id(), e.toString(), e);
                }
            }
            if (delayWarnings.isPresent() && !after.isComplete()) {
                warned = delayWarnings.get().afterAttempt(after);
            }
        } finally {
            if (!handedOver) {
                original.ifPresent(BounceHandler::closeQuietly);
            }
            warned.whenComplete((ignored, failure) -> done.finished(dueLater));
        }
    }

    private void reportFinishedQuietly(QueuedMessage before, QueuedMessage after, Map<Integer, Outcome> results) {
        if (after.isComplete()) {
            attempts.info("{}: removed ({})", after.id().value(), RemovalSummary.of(after));
        }
        try {
            reportFinished(before, after, results);
        } catch (RuntimeException e) {
            log.warn("delivery: events for {} failed: {}", before.id(), e.toString());
        }
    }

    /** Tells the events of every recipient this attempt made final, with its time in the queue. */
    private void reportFinished(QueuedMessage before, QueuedMessage after, Map<Integer, Outcome> results) {
        Instant arrival = before.envelope().arrival();
        results.forEach((i, result) -> {
            if (before.statuses().get(i).isFinal()) {
                return;
            }
            switch (after.statuses().get(i)) {
                case RecipientStatus.Delivered d ->
                        events.finished(DeliveryEvents.Outcome.DELIVERED, Duration.between(arrival, d.at()));
                // the queue turns a temporary failure into Failed only when the lifetime is over
                case RecipientStatus.Failed f -> events.finished(f.outcome().expired()
                        ? DeliveryEvents.Outcome.EXPIRED
                        : DeliveryEvents.Outcome.BOUNCED, Duration.between(arrival, f.at()));
                case RecipientStatus.Pending p -> { }
                case RecipientStatus.Deferred d -> { }
            }
        });
    }

    private Optional<InputStream> openBody(QueueId id) {
        try {
            return Optional.of(queue.openBody(id));
        } catch (IOException | RuntimeException e) {
            log.warn("delivery: cannot open the body of {} for a possible DSN: {}", id, e.toString());
            return Optional.empty();
        }
    }
}
