package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import java.util.HashMap;
import java.util.Map;

/**
 * One instance of each equal envelope value the queue holds in memory: the sender, the client's
 * address and HELO name, the authenticated user, and the mail parameters most messages share
 * ({@link MailParameters#NONE}). A relay's mail comes from few applications and few senders, so
 * a large queue repeats these strings in nearly every message; kept once, a queued message
 * takes about a quarter less heap (issue 14). Recipients are nearly always different and are
 * kept as they are.
 *
 * <p>Bounded: when {@link #LIMIT} distinct values have been seen the table starts afresh
 * (values already shared stay shared). Not thread-safe: the queue's monitor guards it.
 */
final class SharedValues {

    static final int LIMIT = 1 << 16;

    private final Map<String, String> strings = new HashMap<>();

    /** An equal envelope whose repeated values are the shared instances. */
    Envelope share(Envelope envelope) {
        MailParameters parameters = envelope.parameters().equals(MailParameters.NONE) ? MailParameters.NONE
                : envelope.parameters();
        return new Envelope(string(envelope.sender()), envelope.recipients(), parameters, envelope.arrival(),
                string(envelope.clientAddress()), string(envelope.heloName()),
                envelope.authenticatedUser().map(this::string));
    }

    String string(String value) {
        if (strings.size() >= LIMIT) {
            strings.clear();
        }
        String seen = strings.putIfAbsent(value, value);
        return seen == null ? value : seen;
    }
}
