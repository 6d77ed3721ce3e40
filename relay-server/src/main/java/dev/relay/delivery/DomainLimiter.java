package dev.relay.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous semaphore per recipient domain: at most {@code permits} deliveries to one
 * domain run at a time, whichever of its MX hosts they go to. Waiting is a future, never a
 * blocked thread; waiters are served first come, first served. Thread-safe.
 */
final class DomainLimiter {

    private static final class Slot {
        int running;
        final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    }

    private final int permits;
    private final Map<String, Slot> slots = new HashMap<>();

    DomainLimiter(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        this.permits = permits;
    }

    /** Completes when the caller may start; it must {@link #release} exactly once afterwards. */
    CompletableFuture<Void> acquire(String domain) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(domain, d -> new Slot());
            if (slot.running < permits) {
                slot.running++;
            } else {
                slot.waiting.addLast(turn);
                return turn;
            }
        }
        turn.complete(null);
        return turn;
    }

    void release(String domain) {
        CompletableFuture<Void> next;
        synchronized (this) {
            Slot slot = slots.get(domain);
            if (slot == null) {
                throw new IllegalStateException("release without acquire: " + domain);
            }
            next = slot.waiting.pollFirst();
            if (next == null) {
                slot.running--;
                if (slot.running == 0) {
                    slots.remove(domain);
                }
            }
        }
        if (next != null) {
            next.complete(null); // the permit passes straight on
        }
    }

    /** Deliveries running for the domain now. */
    synchronized int running(String domain) {
        Slot slot = slots.get(domain);
        return slot == null ? 0 : slot.running;
    }

    /** Deliveries waiting for the domain now. */
    synchronized int waiting(String domain) {
        Slot slot = slots.get(domain);
        return slot == null ? 0 : slot.waiting.size();
    }
}
