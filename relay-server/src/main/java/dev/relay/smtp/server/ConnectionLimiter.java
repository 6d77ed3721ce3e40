package dev.relay.smtp.server;

import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent SMTP connections in total and per client IP address. One instance is
 * shared by every listener, so the caps hold across ports. Thread-safe.
 */
public final class ConnectionLimiter {
    private volatile int maxTotal;
    private volatile int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    /**
     * @param maxTotal connections across all listeners; 0 for no cap
     * @param maxPerClient connections from one IP address; 0 for no cap
     */
    public ConnectionLimiter(int maxTotal, int maxPerClient) {
        if (maxTotal < 0 || maxPerClient < 0) {
            throw new IllegalArgumentException("connection limits must not be negative");
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /**
     * New caps for connections from now on (a reload). Connections already open stay open even
     * when there are more of them than the new cap; they count toward it until they close.
     */
    public void setLimits(int maxTotal, int maxPerClient) {
        if (maxTotal < 0 || maxPerClient < 0) {
            throw new IllegalArgumentException("connection limits must not be negative");
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** The outcome of asking for a connection slot. */
    public sealed interface Acquisition {}

    /** A slot was granted; release it exactly once when the connection closes. */
    public static final class Permit implements Acquisition {
        private final ConnectionLimiter owner;
        private final InetAddress client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(ConnectionLimiter owner, InetAddress client) {
            this.owner = owner;
            this.client = client;
        }

        /** Gives the slot back; later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                owner.releaseSlot(client);
            }
        }
    }

    /** The cap on all connections is reached. */
    public record TotalLimitReached() implements Acquisition {}

    /** The cap on connections from this client address is reached. */
    public record ClientLimitReached() implements Acquisition {}

    public Acquisition tryAcquire(InetAddress client) {
        return tryAcquire(client, false);
    }

    /**
     * @param perClientExempt whether the client is free of the per-client cap (it still counts
     *     toward the total, and toward its address's count)
     */
    public Acquisition tryAcquire(InetAddress client, boolean perClientExempt) {
        Objects.requireNonNull(client, "client");
        int now = total.incrementAndGet();
        if (maxTotal > 0 && now > maxTotal) {
            total.decrementAndGet();
            return new TotalLimitReached();
        }
        boolean[] granted = {true};
        perClient.compute(client, (address, count) -> {
            int current = count == null ? 0 : count;
            if (maxPerClient > 0 && current >= maxPerClient && !perClientExempt) {
                granted[0] = false;
                return count;
            }
            return current + 1;
        });
        if (!granted[0]) {
            total.decrementAndGet();
            return new ClientLimitReached();
        }
        return new Permit(this, client);
    }

    /** Connections holding a permit now. */
    public int active() {
        return total.get();
    }

    /** Connections holding a permit now from one address. */
    public int active(InetAddress client) {
        return perClient.getOrDefault(client, 0);
    }

    private void releaseSlot(InetAddress client) {
        perClient.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }
}
