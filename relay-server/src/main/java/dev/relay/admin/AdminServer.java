package dev.relay.admin;

import dev.relay.settings.ConfigException;
import dev.relay.settings.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP/1.1 server: health, metrics and whatever routes the application adds (the
 * queue API, the status page). One event loop thread of its own, so a busy SMTP side never
 * delays a health check, and two worker threads on which routes run, because queue calls may
 * block.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.builder(config.admin().address())
 *         .token(config.admin().token())
 *         .readiness(ready::get)
 *         .route("GET", "/metrics", false, metricsRoute)
 *         .start();                 // IOException when the port is taken
 * admin.address();                  // the bound address (real port when configured as 0)
 * admin.close();
 * }</pre>
 *
 * <p>Routes match by method and the longest path prefix (whole segments). Routes registered
 * as public (the health checks) skip the token check; every other route needs
 * {@code Authorization: Bearer <admin.token>} when a token is set, or gets 401. Without a
 * token the server refuses to bind anything but a loopback address.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** Request bodies are small JSON commands; anything bigger gets 413. */
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int IDLE_SECONDS = 60;
    private static final int WORKERS = 2;
    private static final int WORK_QUEUE = 64;

    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    private final EventLoopGroup loop;
    private final ExecutorService workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AdminServer(EventLoopGroup loop, ExecutorService workers, Channel serverChannel, ChannelGroup connections) {
        this.loop = loop;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.address = (InetSocketAddress) serverChannel.localAddress();
    }

    public static Builder builder(HostPort address) {
        return new Builder(address);
    }

    public static final class Builder {
        private final HostPort address;
        private Optional<String> token = Optional.empty();
        private Supplier<Optional<String>> notReady = Optional::empty;
        private final List<RouteTable.Route> routes = new ArrayList<>();

        private Builder(HostPort address) {
            this.address = Objects.requireNonNull(address, "address");
        }

        /** The bearer token every non-public route needs; empty: no token (loopback only). */
        public Builder token(Optional<String> token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Asked by {@code /health/ready}: true answers 200, false 503. */
        public Builder readiness(BooleanSupplier readiness) {
            Objects.requireNonNull(readiness, "readiness");
            return notReadyWhen(() -> readiness.getAsBoolean() ? Optional.empty() : Optional.of("not ready"));
        }

        /** Asked by {@code /health/ready}: empty answers 200, a reason answers 503 with that reason. */
        public Builder notReadyWhen(Supplier<Optional<String>> notReady) {
            this.notReady = Objects.requireNonNull(notReady, "notReady");
            return this;
        }

        /**
         * Adds a route.
         *
         * @param method {@code GET}, {@code POST}, ... ({@code HEAD} is served by the GET route)
         * @param pathPrefix starts with {@code /}; matches itself and paths below it
         * @param isPublic true to skip the token check (health checks only, by intent)
         * @throws IllegalArgumentException for a bad prefix or a second route for the same
         *     method and prefix (at {@link #start()})
         */
        public Builder route(String method, String pathPrefix, boolean isPublic, AdminRoute route) {
            RouteTable.checkPrefix(pathPrefix);
            routes.add(new RouteTable.Route(method.toUpperCase(java.util.Locale.ROOT), pathPrefix, isPublic, route));
            return this;
        }

        /**
         * Binds the address and starts serving.
         *
         * @throws ConfigException when the address is not loopback and no token is set
         * @throws IOException when the address cannot be bound (in use, not local); the message
         *     names the address and the cause in one line
         */
        public AdminServer start() throws IOException {
            InetSocketAddress bindTo = new InetSocketAddress(address.host(), address.port());
            if (bindTo.isUnresolved()) {
                throw new IOException("cannot listen on " + address + ": unknown host " + address.host());
            }
            if (!bindTo.getAddress().isLoopbackAddress() && token.isEmpty()) {
                throw new ConfigException("admin.address", address + " is not a loopback address and admin.token is "
                        + "not set: set admin.token, or bind admin.address to 127.0.0.1");
            }
            List<RouteTable.Route> all = new ArrayList<>(routes);
            Supplier<Optional<String>> why = notReady;
            all.add(new RouteTable.Route("GET", LIVE_PATH, true, request -> AdminResponse.text(200, "live\n")));
            all.add(new RouteTable.Route("GET", READY_PATH, true, request -> why.get()
                    .map(reason -> AdminResponse.text(503, reason.startsWith("not ready") ? reason + "\n"
                            : "not ready: " + reason + "\n"))
                    .orElseGet(() -> AdminResponse.text(200, "ready\n"))));
            RouteTable table = new RouteTable(all);
            BearerCheck bearer = new BearerCheck(token);

            EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("admin-io", true),
                    NioIoHandler.newFactory());
            ExecutorService workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(WORK_QUEUE), new DefaultThreadFactory("admin-worker", true),
                    new ThreadPoolExecutor.AbortPolicy());
            ChannelGroup connections = new DefaultChannelGroup("admin-connections", GlobalEventExecutor.INSTANCE);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline()
                                    .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                                    .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192))
                                    .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                                    .addLast("admin", new AdminHttpHandler(table, bearer, workers));
                        }
                    });
            ChannelFuture bound = bootstrap.bind(bindTo).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                workers.shutdownNow();
                Throwable cause = bound.cause();
                BindException failure = new BindException("cannot listen on " + address + ": "
                        + (cause == null ? "unknown error" : cause.getMessage()));
                failure.initCause(cause);
                throw failure;
            }
            AdminServer server = new AdminServer(loop, workers, bound.channel(), connections);
            log.info("admin HTTP on {}:{} ({})", server.address.getHostString(), server.address.getPort(),
                    bearer.required() ? "token required except for /health" : "no token: loopback only");
            return server;
        }
    }

    /** The bound address (with the real port when configured as 0). */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops listening, closes open connections and stops the threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly(5_000);
        workers.shutdownNow();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }
}
