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

    private int permits;
    private final Map<String, Slot> slots = new HashMap<>();

    DomainLimiter(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        this.permits = permits;
    }

    /**
     * A new cap (a reload). A raise lets waiters start at once; a cut lets the deliveries
     * running finish, and new ones wait until the domain is under the new cap.
     */
    void setPermits(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        java.util.List<CompletableFuture<Void>> start = new java.util.ArrayList<>();
        synchronized (this) {
            this.permits = permits;
            for (Slot slot : slots.values()) {
                while (slot.running < permits && !slot.waiting.isEmpty()) {
                    slot.running++;
                    start.add(slot.waiting.pollFirst());
                }
            }
        }
        start.forEach(turn -> turn.complete(null));
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
            next = slot.running <= permits ? slot.waiting.pollFirst() : null;
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
