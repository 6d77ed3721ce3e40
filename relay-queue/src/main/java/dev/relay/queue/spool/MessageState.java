package dev.relay.queue.spool;

import dev.relay.queue.RecipientStatus;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The part of a queued message that changes after it is accepted: one status per recipient,
 * the attempt count, the hold flag and whether the sender was warned of a delay. The store
 * persists it whole on every change, so the latest record alone tells the truth (no merging of
 * partial updates at recovery).
 *
 * @param delayWarned a delay DSN has been sent (or is being sent) for this message: never again
 */
public record MessageState(List<RecipientStatus> statuses, int attempts, boolean held, boolean delayWarned) {

    /** Shared so that 100 000 fresh messages do not hold 100 000 equal objects. */
    public static final RecipientStatus.Pending PENDING = new RecipientStatus.Pending();

    public MessageState {
        Objects.requireNonNull(statuses, "statuses");
        statuses = List.copyOf(statuses);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
    }

    /** Fresh states of messages with 1 to 7 recipients, shared: see {@link #canonical}. */
    private static final MessageState[] INITIAL = new MessageState[8];

    static {
        for (int i = 1; i < INITIAL.length; i++) {
            INITIAL[i] = new MessageState(Collections.nCopies(i, PENDING), 0, false, false);
        }
    }

    /** The state of a message that was just accepted: every recipient pending. */
    public static MessageState initial(int recipients) {
        return recipients > 0 && recipients < INITIAL.length ? INITIAL[recipients]
                : new MessageState(Collections.nCopies(recipients, PENDING), 0, false, false);
    }

    /**
     * An equal state, the shared instance when it is a fresh message's: most of a large queue has
     * never been attempted, and each would hold a state and a list of its own otherwise (issue 14).
     */
    public static MessageState canonical(MessageState state) {
        int recipients = state.statuses().size();
        if (recipients > 0 && recipients < INITIAL.length && state.equals(INITIAL[recipients])) {
            return INITIAL[recipients];
        }
        return state;
    }

    public MessageState withHeld(boolean held) {
        return new MessageState(statuses, attempts, held, delayWarned);
    }

    public MessageState withDelayWarned() {
        return new MessageState(statuses, attempts, held, true);
    }

    /** New statuses after an attempt (or an admin's retry); the flags stay. */
    public MessageState withStatuses(List<RecipientStatus> statuses, int attempts) {
        return new MessageState(statuses, attempts, held, delayWarned);
    }

    public boolean isComplete() {
        return statuses.stream().allMatch(RecipientStatus::isFinal);
    }
}
