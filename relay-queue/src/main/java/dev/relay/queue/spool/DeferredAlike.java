package dev.relay.queue.spool;

import com.github.benmanes.caffeine.cache.Interner;
import dev.relay.outcome.Outcome;
import dev.relay.queue.RecipientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of a message whose recipients were all deferred to the same next attempt, less that
 * next attempt: what a queue of mail to a destination that is down is made of. Messages deferred
 * alike (same deferrals, attempt count and flags) share one instance, and the index keeps each
 * one's next attempt as the primitive it schedules by, so a deferred message costs the heap no
 * more than a fresh one (issue 14: a tried message used to hold its state, a list, a status and
 * an instant of its own, about 100 bytes).
 *
 * @param deferrals each recipient's latest deferral (shared already, see {@link SharedOutcomes})
 */
record DeferredAlike(List<Outcome.Deferred> deferrals, int attempts, boolean held, boolean delayWarned) {

    /** Weak: a shape no message has any more is let go. */
    private static final Interner<DeferredAlike> SHARED = Interner.newWeakInterner();

    DeferredAlike {
        deferrals = List.copyOf(deferrals);
    }

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
        List<Outcome.Deferred> deferrals = new ArrayList<>(statuses.size());
        for (RecipientStatus status : statuses) {
            if (!(status instanceof RecipientStatus.Deferred deferred)
                    || !deferred.nextAttempt().equals(first.nextAttempt())) {
                return Optional.empty();
            }
            deferrals.add(deferred.outcome());
        }
        return Optional.of(SHARED.intern(
                new DeferredAlike(deferrals, state.attempts(), state.held(), state.delayWarned())));
    }

    /** The state of a message of this shape whose next attempt is {@code nextAttempt}. */
    MessageState at(Instant nextAttempt) {
        List<RecipientStatus> statuses = new ArrayList<>(deferrals.size());
        for (Outcome.Deferred deferral : deferrals) {
            statuses.add(new RecipientStatus.Deferred(nextAttempt, deferral));
        }
        return new MessageState(statuses, attempts, held, delayWarned);
    }
}
