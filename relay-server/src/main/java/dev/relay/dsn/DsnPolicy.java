package dev.relay.dsn;

import dev.relay.queue.DsnNotify;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who gets which DSN (RFC 3461 section 4.1 and 6.2).
 *
 * <ul>
 *   <li>NOTIFY=NEVER: nothing, ever.
 *   <li>NOTIFY given: exactly the kinds listed.
 *   <li>NOTIFY absent: failures and delay warnings, not successes. RFC 3461 leaves the default
 *       to the MTA ("FAILURE" or "FAILURE,DELAY"); warning about a delay is what users of
 *       Postfix and Sendmail expect, and the relay only warns once per message anyway.
 *   <li>A message from the null sender gets none at all: a bounce that bounces is dropped.
 * </ul>
 */
public final class DsnPolicy {
    private DsnPolicy() {}

    private static final Set<DsnNotify> DEFAULT = Set.of(DsnNotify.FAILURE, DsnNotify.DELAY);

    /** Whether this recipient's NOTIFY asks for (or defaults to) this kind of DSN. */
    public static boolean wants(RecipientAddress recipient, DsnKind kind) {
        Set<DsnNotify> notify = recipient.notifyOn().isEmpty() ? DEFAULT : recipient.notifyOn();
        return notify.contains(kind.notifyValue());
    }

    /** Whether the recipient's status is the one this kind reports. */
    public static boolean reportable(RecipientStatus status, DsnKind kind) {
        return switch (kind) {
            case FAILURE -> status instanceof RecipientStatus.Failed;
            case DELAY -> status instanceof RecipientStatus.Deferred;
            case SUCCESS -> status instanceof RecipientStatus.Delivered;
        };
    }

    /**
     * Of the candidate recipients (indexes into the envelope), those that get a DSN of this kind:
     * in that state and asking for it, ascending, without repeats. Empty for the null sender.
     *
     * @throws IllegalArgumentException for an index the envelope does not have
     */
    public static List<Integer> select(QueuedMessage message, DsnKind kind, Collection<Integer> candidates) {
        List<RecipientAddress> recipients = message.envelope().recipients();
        for (int i : candidates) {
            if (i < 0 || i >= recipients.size()) {
                throw new IllegalArgumentException("message " + message.id() + " has no recipient " + i);
            }
        }
        if (message.envelope().hasNullSender()) {
            return List.of();
        }
        return candidates.stream()
                .distinct()
                .sorted()
                .filter(i -> reportable(message.statuses().get(i), kind) && wants(recipients.get(i), kind))
                .toList();
    }
}
