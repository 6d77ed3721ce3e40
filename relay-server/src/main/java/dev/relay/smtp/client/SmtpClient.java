package dev.relay.smtp.client;

import dev.relay.concurrent.FutureFailures;
import dev.relay.network.Transport;
import dev.relay.tls.ClientTlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens outbound SMTP sessions on Netty: {@link #connect} gives a {@link SmtpConnection} that
 * is greeted, past EHLO and, as the destination requires, past STARTTLS and the certificate
 * check. Owns its event loops (on the best {@link Transport} this machine allows unless told
 * otherwise); one client serves the whole relay. Thread-safe.
 *
 * <p>Pipeline, head to tail: {@code tls} (added at STARTTLS), {@code replies}
 * ({@link ReplyDecoder}), {@code chunks} (Netty's ChunkedWriteHandler, for bodies),
 * {@code client} ({@link ClientChannelHandler}).
 */
public final class SmtpClient implements AutoCloseable {

    private final ClientTlsContext tls;
    private final ClientTimeouts timeouts;
    private final String heloName;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    private SmtpClient(Builder builder) {
        this.tls = builder.tls;
        this.timeouts = builder.timeouts;
        this.heloName = builder.heloName;
        Transport transport = builder.transport != null ? builder.transport : Transport.best();
        this.group = new MultiThreadIoEventLoopGroup(builder.ioThreads, new DefaultThreadFactory("smtp-out", true),
                transport.ioHandlerFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()));
    }

    /**
     * @param tls the shared outbound TLS context
     */
    public static Builder builder(ClientTlsContext tls) {
        return new Builder(tls);
    }

    public ClientTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Connects and opens the session. Fails with {@link ConnectionFailureException} (inside a
     * {@link java.util.concurrent.CompletionException} when joined) for refused, timed-out,
     * rejected, TLS-less (when TLS is required) or TLS-failed sessions.
     */
    public CompletableFuture<SmtpConnection> connect(Destination destination) {
        CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
        ReplyDecoder decoder = new ReplyDecoder();
        ClientChannelHandler handler = new ClientChannelHandler(timeouts);
        Bootstrap connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline()
                        .addLast("replies", decoder)
                        .addLast("chunks", new ChunkedWriteHandler())
                        .addLast("client", handler);
            }
        });
        connecting.connect(destination.address()).addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                boolean timedOut = cause instanceof ConnectTimeoutException;
                String reason = timedOut ? "connection timed out" : FutureFailures.rootMessage(cause);
                result.completeExceptionally(new ConnectionFailureException(
                        new ConnectionFailure.ConnectFailed(reason, timedOut)));
                return;
            }
            Channel channel = ((io.netty.channel.ChannelFuture) f).channel();
            new SmtpConnection(channel, handler, decoder, destination, tls, timeouts, heloName).open()
                    .whenComplete((connection, error) -> {
                        if (error != null) {
                            result.completeExceptionally(new ConnectionFailureException(
                                    ConnectionFailureException.unwrap(error, Stage.CONNECT)));
                        } else {
                            result.complete(connection);
                        }
                    });
        });
        return result;
    }

    /**
     * One message over a connection of its own: connect, send, QUIT. Never completes
     * exceptionally: a connection failure is a {@link TransactionOutcome.Failed}.
     */
    public CompletableFuture<TransactionOutcome> deliver(Destination destination, OutboundMessage message) {
        return connect(destination).handle((connection, error) -> {
            if (error != null) {
                ConnectionFailure failure = ConnectionFailureException.unwrap(error, Stage.CONNECT);
                return CompletableFuture.completedFuture(failedToConnect(destination, failure, message));
            }
            return connection.send(message).whenComplete((outcome, e) -> connection.quit());
        }).thenCompose(f -> f);
    }

    /** The outcome for a message whose connection never opened. */
    static TransactionOutcome failedToConnect(Destination destination, ConnectionFailure failure, OutboundMessage message) {
        boolean connected = !(failure instanceof ConnectionFailure.ConnectFailed);
        // a TLS failure keeps what the handshake learnt and the relay's own address (TLS reports name both)
        SessionInfo session = failure instanceof ConnectionFailure.TlsFailed t
                ? new SessionInfo(destination, connected, t.tls(), Extensions.NONE, 0, t.localAddress())
                : new SessionInfo(destination, connected, java.util.Optional.empty(), Extensions.NONE, 0);
        return MailTransaction.failedBeforeStart(session, failure, message);
    }

    /** Stops the event loops; open connections are cut. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Options. */
    public static final class Builder {
        private final ClientTlsContext tls;
        private ClientTimeouts timeouts = ClientTimeouts.DEFAULTS;
        private String heloName = "localhost";
        // one per core, not Netty's two: the sessions never block, so a second loop per core only
        // adds thread switches (as measured on the listener side too)
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        /** Null until set: the best available is looked up only when no transport was given. */
        private Transport transport;

        private Builder(ClientTlsContext tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
        }

        /** The name said in EHLO/HELO: the relay's {@code hostname}. */
        public Builder heloName(String name) {
            if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("not a HELO name: " + name);
            }
            this.heloName = name;
            return this;
        }

        public Builder timeouts(ClientTimeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** Event loop threads; default one per core, 0 for Netty's default (twice the cores). */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ioThreads >= 0");
            }
            this.ioThreads = threads;
            return this;
        }

        /** What the event loops run on (the relay's {@code network.io}); it must be available here. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public SmtpClient build() {
            return new SmtpClient(this);
        }
    }
}
