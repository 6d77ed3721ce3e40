package dev.relay.queue.spool;

import com.github.benmanes.caffeine.cache.Interner;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of a message whose recipients were all deferred to the same next attempt, less that
 * next attempt: what a queue of mail to a destination that is down is made of. Messages deferred
 * alike (same deferral, attempt count, recipient count and flags) share one instance, and the
 * index keeps each one's next attempt as the primitive it schedules by, so a deferred message
 * costs the heap no more than a fresh one (issue 14: a tried message used to hold its state, a
 * list, a status and an instant of its own, about 100 bytes).
 *
 * @param template the state with every next attempt at the epoch
 */
record DeferredAlike(MessageState template) {

    /** Weak: a shape no message has any more is let go. */
    private static final Interner<DeferredAlike> SHARED = Interner.newWeakInterner();

    /**
     * The shared shape of {@code state}, or empty when it is not one: a recipient that is not
     * deferred, two next attempts, or a next attempt the index cannot keep exactly.
     */
    static Optional<DeferredAlike> of(MessageState state) {
        List<RecipientStatus> statuses = state.statuses();
        if (statuses.isEmpty() || !(statuses.get(0) instanceof RecipientStatus.Deferred first)
                || !QueueIndex.keepsExactly(first.nextAttempt())) {
            return Optional.empty();
        }
        List<RecipientStatus> shaped = new ArrayList<>(statuses.size());
        for (RecipientStatus status : statuses) {
            if (!(status instanceof RecipientStatus.Deferred deferred)
                    || !deferred.nextAttempt().equals(first.nextAttempt())) {
                return Optional.empty();
            }
            shaped.add(new RecipientStatus.Deferred(Instant.EPOCH, deferred.outcome()));
        }
        return Optional.of(SHARED.intern(new DeferredAlike(state.withStatuses(shaped, state.attempts()))));
    }

    /** The state of a message of this shape whose next attempt is {@code nextAttempt}. */
    MessageState at(Instant nextAttempt) {
        List<RecipientStatus> statuses = new ArrayList<>(template.statuses().size());
        for (RecipientStatus status : template.statuses()) {
            statuses.add(new RecipientStatus.Deferred(nextAttempt, ((RecipientStatus.Deferred) status).outcome()));
        }
        return template.withStatuses(statuses, template.attempts());
    }

    boolean held() {
        return template.held();
    }
}
