package dev.relay.queue.spool;

import com.github.benmanes.caffeine.cache.Interner;
import dev.relay.outcome.Outcome;

/**
 * One instance of each distinct deferral kept by queued messages. A destination that is down
 * defers thousands of messages with the same reply from the same host, and each would otherwise
 * hold its own copy of it (reply, text, status, source: about 230 bytes), most of what a deferred
 * message costs the heap. Weak: a deferral no message holds any more is let go.
 */
final class SharedOutcomes {

    private static final Interner<Outcome.Deferred> DEFERRALS = Interner.newWeakInterner();

    private SharedOutcomes() {}

    static Outcome.Deferred share(Outcome.Deferred deferral) {
        return DEFERRALS.intern(deferral);
    }
}
