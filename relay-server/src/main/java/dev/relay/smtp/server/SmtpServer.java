package dev.relay.smtp.server;

import dev.relay.auth.Authenticator;
import dev.relay.queue.MessageQueue;
import dev.relay.text.Counts;
import dev.relay.text.Durations;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound SMTP listener. Lifecycle:
 *
 * <pre>{@code
 * SmtpServer server = new SmtpServer(settings, queue, authenticator, serverTls, limiter, resources, events, clock);
 * InetSocketAddress bound = server.start();      // throws IOException if the port is taken
 * ...
 * server.stopAccepting();                        // SIGTERM: no new connections (optional, next call does it)
 * server.awaitTransactions(Duration.ofSeconds(30)); // idle sessions get 421 now, busy ones when done,
 *                                                // whatever is left after 30 s gets 421 4.3.2
 * server.close();                                // releases the socket; idempotent
 * }</pre>
 *
 * The constructor refuses settings that cannot work (TLS required without a certificate, AUTH
 * required where TLS is impossible), so a misconfigured relay fails before binding anything.
 */
public final class SmtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
    private static final Duration FORCED_CLOSE_WAIT = Duration.ofSeconds(5);

    /**
     * What a new connection's session gets. A reload replaces it whole; each session keeps the
     * one it started with, so a session in progress is never switched mid-transaction.
     */
    private final AtomicReference<SessionServices> services;
    private final SmtpResources resources;
    private final ChannelGroup connections = new DefaultChannelGroup("smtp-connections", GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;

    /**
     * @param settings hostname, this listener, limits, relay networks
     * @param queue where accepted messages go
     * @param authenticator checks AUTH credentials (called off the event loop)
     * @param serverTls the relay's certificate for STARTTLS and implicit TLS; empty when none is
     *     configured (then STARTTLS is not offered, and TLS-requiring listeners are refused)
     * @param limiter connection caps, shared by all listeners
     * @param resources event loops and the AUTH pool, shared by all listeners
     * @param events metrics hooks
     * @param clock for Received and Date fields and arrival times
     * @throws IllegalArgumentException when the listener settings cannot work, naming the listener
     */
    public SmtpServer(
            SmtpSettings settings,
            MessageQueue queue,
            Authenticator authenticator,
            Optional<SslContext> serverTls,
            ConnectionLimiter limiter,
            SmtpResources resources,
            SmtpEvents events,
            Clock clock) {
        this(new SessionServices(settings, queue, authenticator, resources.blockingExecutor(), serverTls, limiter,
                events, clock, new AtomicBoolean()), resources);
    }

    private SmtpServer(SessionServices services, SmtpResources resources) {
        services.policy().validate();
        this.services = new AtomicReference<>(services);
        this.resources = resources;
    }

    /** The listener's name as configured, e.g. {@code 0.0.0.0:587}. */
    public String name() {
        return services.get().listenerName();
    }

    /**
     * A reload: connections accepted from now on get these settings (relay networks, limits),
     * this authenticator (users file) and this certificate; sessions already open keep what they
     * started with. The listener's own address and modes cannot change here.
     *
     * @return what makes the change: checked now, applied when run, so several listeners can be
     *     checked before any of them changes
     * @throws IllegalArgumentException when the settings cannot work on this listener (TLS
     *     required without a certificate, another listener address); nothing changes then
     */
    public Runnable reconfiguration(SmtpSettings settings, Authenticator authenticator, Optional<SslContext> serverTls) {
        SessionServices now = services.get();
        if (!settings.listener().equals(now.settings().listener())) {
            throw new IllegalArgumentException("listener " + name() + " cannot change without a restart");
        }
        SessionServices next = new SessionServices(settings, now.queue(), authenticator, now.blockingExecutor(),
                serverTls, now.limiter(), now.events(), now.clock(), now.draining());
        next.policy().validate();
        return () -> services.set(next);
    }

    /**
     * Binds the listening socket.
     *
     * @return the bound address (with the real port when the configured port is 0)
     * @throws IOException when the address cannot be bound (in use, not local, no permission);
     *     the message names the listener and the cause in one line
     * @throws IllegalStateException when already started
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("listener " + name() + " already started");
        }
        ListenerConfig listener = services.get().settings().listener();
        InetSocketAddress address = new InetSocketAddress(listener.address().host(), listener.address().port());
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on " + name() + ": unknown host " + listener.address().host());
        }
        Consumer<Channel> track = connections::add;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(resources.acceptors(), resources.workers())
                .channel(resources.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new SmtpChannelInitializer(services::get, track));
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            BindException failure = new BindException("cannot listen on " + name() + ": " + BindFailures.describe(cause));
            failure.initCause(cause);
            throw failure;
        }
        serverChannel = bound.channel();
        InetSocketAddress local = (InetSocketAddress) serverChannel.localAddress();
        ListenerConfig l = listener;
        log.info("SMTP listener {} bound to {}:{} (starttls={}, implicit-tls={}, auth={}, transport={})",
                name(), local.getHostString(), local.getPort(), l.starttls().label(), l.implicitTls(), l.auth().label(),
                resources.transport().label());
        return local;
    }

    /** Closes the listening socket; open sessions go on. Safe to call more than once. */
    public void stopAccepting() {
        Channel channel = serverChannel;
        if (channel != null && channel.isOpen()) {
            channel.close().awaitUninterruptibly();
            log.info("SMTP listener {} stopped accepting", name());
        }
    }

    /** Connections open now. */
    public int openConnections() {
        return (int) connections.stream().filter(Channel::isOpen).count();
    }

    /**
     * Graceful shutdown: stops accepting and tells every session to finish. Idle sessions get
     * 421 4.3.2 at once; a session inside a transaction gets it once the transaction ends (its
     * message queued or refused). Waits up to {@code grace} for all connections to close, then
     * closes the rest with 421 4.3.2 (as {@link #close()}). Blocks; must not be called on an
     * event loop thread.
     *
     * @return true when every connection finished within the grace period, false when some
     *     had to be cut
     */
    public boolean awaitTransactions(Duration grace) throws InterruptedException {
        List<Channel> open = stopAndTell(SessionHandler::drain);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Channel channel : open) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !channel.closeFuture().await(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        long busy = connections.stream().filter(Channel::isOpen).count();
        if (busy > 0) {
            log.info("SMTP listener {}: closing {} still busy after {}", name(), Counts.of(busy, "connection"),
                    Durations.format(grace));
            close();
        }
        return busy == 0;
    }

    /**
     * Stops accepting and closes every remaining connection with 421 4.3.2. A session whose
     * commit is in flight gets up to 5 seconds to send that reply first; after that the socket is
     * closed regardless (the message may then be durable but unacknowledged: the client retries,
     * a duplicate, never a loss). Does not stop the shared {@link SmtpResources}. Idempotent.
     */
    @Override
    public void close() {
        List<Channel> open = stopAndTell(SessionHandler::forceClose);
        long deadline = System.nanoTime() + FORCED_CLOSE_WAIT.toNanos();
        for (Channel channel : open) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            channel.closeFuture().awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(left));
        }
        connections.close().awaitUninterruptibly(FORCED_CLOSE_WAIT.toMillis());
    }

    /** Stops accepting and tells every open session {@code action}; returns the sessions told. */
    private List<Channel> stopAndTell(Consumer<SessionHandler> action) {
        // set before the snapshot: a connection registered after it refuses itself
        services.get().draining().set(true);
        stopAccepting();
        List<Channel> open = List.copyOf(connections);
        for (Channel channel : open) {
            onSession(channel, action);
        }
        return open;
    }

    private static void onSession(Channel channel, Consumer<SessionHandler> action) {
        channel.eventLoop().execute(() -> {
            SessionHandler session = channel.pipeline().get(SessionHandler.class);
            if (session != null) {
                action.accept(session);
            } else {
                channel.close();
            }
        });
    }
}
