package dev.relay.smtp.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads shared by all SMTP listeners: Netty event loops (epoll when the native transport
 * loads, NIO otherwise) and a small bounded pool for blocking work (AUTH password hashing).
 * Create one, pass it to every {@link SmtpServer}, close it after the servers.
 */
public final class SmtpResources implements AutoCloseable {
    private static final int AUTH_QUEUE = 256;

    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ExecutorService blocking;

    private SmtpResources(int ioThreads, int blockingThreads) {
        if (ioThreads < 0 || blockingThreads < 1) {
            throw new IllegalArgumentException("ioThreads >= 0 (0: Netty's default), blockingThreads >= 1");
        }
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtp-accept", true), factory);
        this.workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("smtp-io", true), factory);
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
    public static SmtpResources create() {
        return create(Runtime.getRuntime().availableProcessors(), 2);
    }

    /**
     * @param ioThreads event loop threads for connections; 0 for Netty's default
     * @param blockingThreads threads that check AUTH passwords
     */
    public static SmtpResources create(int ioThreads, int blockingThreads) {
        return new SmtpResources(ioThreads, blockingThreads);
    }

    /** "epoll" or "nio". */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    EventLoopGroup acceptors() {
        return acceptors;
    }

    EventLoopGroup workers() {
        return workers;
    }

    Class<? extends ServerChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
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
