package dev.relay.smtp.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps SMTP connections open between messages for the same {@link Destination} (MX host,
 * address, port, TLS requirement): after a transaction the connection says RSET and waits,
 * idle, for the next message (with PIPELINING the RSET goes out in front of the next message's
 * commands, in the same write); it is closed with QUIT after {@link Settings#idleTimeout()} or
 * once it has carried {@link Settings#maxMessagesPerConnection()} messages. At most
 * {@link Settings#maxConnectionsPerDestination()} connections per destination are open at a
 * time; further deliveries wait for one to come free (FIFO). Thread-safe.
 *
 * <p>A reused connection that turns out to be dead (the server closed it while idle) is not
 * held against the message: when the first command on it fails that way, the message is
 * tried once more on a new connection.
 */
public final class ConnectionPool implements AutoCloseable {

    /**
     * @param maxConnectionsPerDestination open connections per destination (busy or idle)
     * @param maxMessagesPerConnection transactions one connection may carry before QUIT
     * @param idleTimeout how long an idle connection waits for the next message
     */
    public record Settings(int maxConnectionsPerDestination, int maxMessagesPerConnection, Duration idleTimeout) {
        /**
         * 500 messages per connection: each new connection costs a TCP and TLS handshake, two
         * EHLOs and a certificate check, about as much CPU as several messages, and at 100 that was
         * a noticeable share of a busy relay's CPU (BENCHMARKS.md, issue 14). Exim's client
         * stops at 500 too, and its server refuses more than 1 000 by default; Postfix's client
         * has no count limit, only a time limit of 300 s.
         */
        public static final Settings DEFAULTS = new Settings(20, 500, Duration.ofSeconds(5));

        public Settings {
            if (maxConnectionsPerDestination < 1 || maxMessagesPerConnection < 1) {
                throw new IllegalArgumentException("limits must be at least 1");
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("negative idle timeout");
            }
        }
    }

    /** The connections of one destination. Guarded by the pool's lock. */
    private static final class Slot {
        int open;
        /** Connections between their last transaction and the RSET reply: about to be free. */
        int resetting;
        final ArrayDeque<Idle> idle = new ArrayDeque<>();
        final ArrayDeque<CompletableFuture<Lease>> waiting = new ArrayDeque<>();
    }

    private record Idle(SmtpConnection connection, io.netty.util.concurrent.ScheduledFuture<?> expiry) {}

    /** A connection to use, or the failure that kept one from opening. */
    private record Lease(SmtpConnection connection, ConnectionFailure failure, boolean reused) {}

    private final SmtpClient client;
    /** Replaced by {@link #reconfigure}; connections already open keep running under the old caps until they end. */
    private volatile Settings settings;
    private final Map<Destination, Slot> slots = new HashMap<>();
    private boolean closed;

    public ConnectionPool(SmtpClient client, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** New caps for what is opened from now on (a reload). */
    public void reconfigure(Settings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    /**
     * Delivers the message over a pooled connection (an idle one, a new one, or the next one to
     * come free). Never completes exceptionally.
     */
    public CompletableFuture<TransactionOutcome> deliver(Destination destination, OutboundMessage message) {
        return deliver(destination, message, true);
    }

    private CompletableFuture<TransactionOutcome> deliver(Destination destination, OutboundMessage message,
            boolean mayRetry) {
        return acquire(destination).thenCompose(lease -> {
            if (lease.connection() == null) {
                return CompletableFuture.completedFuture(SmtpClient.failedToConnect(destination, lease.failure(), message));
            }
            SmtpConnection connection = lease.connection();
            if (!connection.isReusable()) {
                connection.close(); // died while idle: no attempt was made on it
                return deliver(destination, message, mayRetry);
            }
            return connection.send(message).thenCompose(outcome -> {
                // the server dropped the idle connection (or would not reset it) just as the message went
                // out: not the message's fault
                boolean stale = lease.reused() && mayRetry && outcome instanceof TransactionOutcome.Failed failed
                        && isStale(failed.failure());
                afterUse(connection);
                return stale ? deliver(destination, message, false) : CompletableFuture.completedFuture(outcome);
            });
        });
    }

    /** A reused connection that failed at its first command, before any of the message went out. */
    private static boolean isStale(ConnectionFailure failure) {
        return switch (failure) {
            case ConnectionFailure.ConnectionLost lost -> lost.stage() == Stage.MAIL || lost.stage() == Stage.RSET;
            case ConnectionFailure.Rejected rejected -> rejected.stage() == Stage.RSET;
            default -> false;
        };
    }

    /** Open connections, busy or idle, over all destinations. */
    public synchronized int openConnections() {
        return slots.values().stream().mapToInt(s -> s.open).sum();
    }

    /** Idle connections over all destinations. */
    public synchronized int idleConnections() {
        return slots.values().stream().mapToInt(s -> s.idle.size()).sum();
    }

    /** QUITs idle connections; busy ones close after their transaction; new deliveries fail. */
    @Override
    public void close() {
        java.util.List<SmtpConnection> toQuit = new java.util.ArrayList<>();
        java.util.List<CompletableFuture<Lease>> toFail = new java.util.ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Slot slot : slots.values()) {
                for (Idle idle : slot.idle) {
                    idle.expiry().cancel(false);
                    toQuit.add(idle.connection());
                }
                slot.idle.clear();
                toFail.addAll(slot.waiting);
                slot.waiting.clear();
            }
        }
        toQuit.forEach(SmtpConnection::quit);
        ConnectionFailure closing = new ConnectionFailure.LocalError(Stage.CONNECT, "the relay is shutting down");
        toFail.forEach(w -> w.complete(new Lease(null, closing, false)));
    }

    private CompletableFuture<Lease> acquire(Destination destination) {
        CompletableFuture<Lease> lease = new CompletableFuture<>();
        boolean connectNew = false;
        Idle reuse = null;
        synchronized (this) {
            if (closed) {
                lease.complete(new Lease(null, new ConnectionFailure.LocalError(Stage.CONNECT, "the relay is shutting down"), false));
                return lease;
            }
            Slot slot = slots.computeIfAbsent(destination, d -> new Slot());
            while (!slot.idle.isEmpty() && reuse == null) {
                Idle candidate = slot.idle.pollFirst();
                candidate.expiry().cancel(false);
                if (candidate.connection().isReusable()) {
                    reuse = candidate;
                } else {
                    candidate.connection().close(); // its close listener counts it down
                }
            }
            if (reuse == null) {
                if (slot.resetting > slot.waiting.size()) {
                    slot.waiting.addLast(lease); // one is about to come free: cheaper than a new connection (and TLS)
                } else if (slot.open < settings.maxConnectionsPerDestination()) {
                    slot.open++;
                    connectNew = true;
                } else {
                    slot.waiting.addLast(lease);
                }
            }
        }
        if (reuse != null) {
            lease.complete(new Lease(reuse.connection(), null, true));
        } else if (connectNew) {
            open(destination, lease);
        }
        return lease;
    }

    private void open(Destination destination, CompletableFuture<Lease> lease) {
        client.connect(destination).whenComplete((connection, error) -> {
            if (error != null) {
                connectionGone(destination);
                lease.complete(new Lease(null, ConnectionFailureException.unwrap(error, Stage.CONNECT), false));
                return;
            }
            connection.channel().closeFuture().addListener(f -> connectionGone(destination, connection));
            lease.complete(new Lease(connection, null, false));
        });
    }

    /** After a transaction: RSET and keep it, or QUIT when it is spent or broken. */
    private void afterUse(SmtpConnection connection) {
        boolean keep;
        synchronized (this) {
            keep = !closed && connection.transactions() < settings.maxMessagesPerConnection();
        }
        if (!keep || !connection.isReusable()) {
            connection.quit();
            return;
        }
        if (connection.extensions().has("PIPELINING")) {
            connection.resetWithNextTransaction();
            release(connection);
            return;
        }
        Destination destination = connection.destination();
        synchronized (this) {
            slots.get(destination).resetting++;
        }
        connection.reset().whenComplete((ok, error) -> {
            synchronized (this) {
                slots.get(destination).resetting--;
            }
            if (error == null && ok) {
                release(connection);
            } else {
                connection.quit(); // its close listener hands the turn to a waiter
            }
        });
    }

    private void release(SmtpConnection connection) {
        Destination destination = connection.destination();
        CompletableFuture<Lease> waiter;
        synchronized (this) {
            Slot slot = slots.get(destination);
            if (closed || slot == null) {
                waiter = null;
            } else {
                waiter = slot.waiting.pollFirst();
                if (waiter == null) {
                    var expiry = connection.channel().eventLoop().schedule(() -> expire(connection),
                            settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
                    slot.idle.addFirst(new Idle(connection, expiry)); // most recently used first: the others age out
                    return;
                }
            }
        }
        if (waiter == null) {
            connection.quit();
        } else {
            waiter.complete(new Lease(connection, null, true));
        }
    }

    private void expire(SmtpConnection connection) {
        boolean removed;
        synchronized (this) {
            Slot slot = slots.get(connection.destination());
            removed = slot != null && slot.idle.removeIf(idle -> idle.connection() == connection);
        }
        if (removed) {
            connection.quit();
        }
    }

    private void connectionGone(Destination destination, SmtpConnection connection) {
        synchronized (this) {
            Slot slot = slots.get(destination);
            if (slot != null) {
                slot.idle.removeIf(idle -> {
                    if (idle.connection() == connection) {
                        idle.expiry().cancel(false);
                        return true;
                    }
                    return false;
                });
            }
        }
        connectionGone(destination);
    }

    /** One connection fewer: a waiter may open a new one. */
    private void connectionGone(Destination destination) {
        CompletableFuture<Lease> waiter;
        synchronized (this) {
            Slot slot = slots.get(destination);
            if (slot == null) {
                return;
            }
            slot.open--;
            waiter = closed ? null : slot.waiting.pollFirst();
            if (waiter != null) {
                slot.open++;
            } else if (slot.open == 0 && slot.idle.isEmpty() && slot.waiting.isEmpty()) {
                slots.remove(destination);
            }
        }
        if (waiter != null) {
            open(destination, waiter);
        }
    }
}
