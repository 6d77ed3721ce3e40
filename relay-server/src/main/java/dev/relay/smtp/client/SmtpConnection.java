package dev.relay.smtp.client;

import dev.relay.smtp.client.ConnectionFailure.Rejected;
import dev.relay.smtp.client.ConnectionFailure.StartTlsUnavailable;
import dev.relay.smtp.client.ConnectionFailure.TlsFailed;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.TlsDetails;
import dev.relay.tls.TlsProblem;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One open SMTP session with a remote server, ready for transactions: greeted, EHLO (or HELO)
 * done, and STARTTLS done as its {@link Destination#tls()} requirement asks. Made by
 * {@link SmtpClient#connect}; carries one transaction at a time ({@link #send}), then
 * {@link #reset} and the next, and {@link #quit} at the end. Thread-safe: every method hops
 * to the connection's event loop.
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>STARTTLS is used whenever offered. With {@code OPPORTUNISTIC} a refused STARTTLS means
 *       plain text on the same connection; a failed handshake fails the connection (the caller
 *       moves on), it is not retried in plain text.</li>
 *   <li>Whatever the server sent after granting STARTTLS and before the handshake finished is
 *       discarded ({@link ReplyDecoder}); EHLO is repeated over TLS and only that answer counts.</li>
 *   <li>The certificate verdict is computed for every TLS session; the connection is given up
 *       before any mail command only when the requirement is {@code REQUIRED_VERIFIED}.</li>
 *   <li>8BITMIME: a message declared 8BITMIME goes to a server without 8BITMIME as it is,
 *       without BODY=; converting MIME to 7 bit is not done (what nearly every server accepts,
 *       and what Exim and Sendmail do by default).</li>
 *   <li>BINARYMIME needs CHUNKING and BINARYMIME on the remote and is sent as one
 *       {@code BDAT n LAST}; otherwise the message fails with 5.6.3 without being sent.</li>
 * </ul>
 */
public final class SmtpConnection {

    static final String TLS_HANDLER = "tls";

    private final Channel channel;
    private final ClientChannelHandler handler;
    private final ReplyDecoder decoder;
    private final Destination destination;
    private final ClientTlsContext tlsContext;
    private final ClientTimeouts timeouts;
    private final String heloName;

    // written on the event loop only; volatile for the getters other threads call
    private volatile Extensions extensions = Extensions.NONE;
    private volatile Optional<TlsDetails> tls = Optional.empty();
    private final AtomicInteger transactions = new AtomicInteger();
    private volatile boolean busy;
    private volatile boolean outOfStep;
    /** The last transaction ended and the RSET between it and the next goes out with the next one. */
    private boolean resetPending;

    SmtpConnection(Channel channel, ClientChannelHandler handler, ReplyDecoder decoder, Destination destination,
            ClientTlsContext tlsContext, ClientTimeouts timeouts, String heloName) {
        this.channel = channel;
        this.handler = handler;
        this.decoder = decoder;
        this.destination = destination;
        this.tlsContext = tlsContext;
        this.timeouts = timeouts;
        this.heloName = heloName;
    }

    public Destination destination() {
        return destination;
    }

    /** The TLS session, when STARTTLS succeeded. */
    public Optional<TlsDetails> tls() {
        return tls;
    }

    /** What the server announced in its last EHLO reply. */
    public Extensions extensions() {
        return extensions;
    }

    /** Transactions started on this connection so far. */
    public int transactions() {
        return transactions.get();
    }

    /** Whether the connection can carry another transaction: open, in step, and not in use. */
    public boolean isReusable() {
        return channel.isActive() && !handler.isBroken() && !outOfStep && !busy;
    }

    /** Completes when the channel has closed, for whatever reason. */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    /** The connection as it stands, for logs: destination, TLS, extensions, transactions so far. */
    public SessionInfo session() {
        return new SessionInfo(destination, true, tls, extensions, transactions.get(), localAddress(channel));
    }

    /** The relay's own IP address on the channel, once connected. */
    static Optional<String> localAddress(Channel channel) {
        return channel.localAddress() instanceof java.net.InetSocketAddress address && address.getAddress() != null
                ? Optional.of(address.getAddress().getHostAddress()) : Optional.empty();
    }

    Channel channel() {
        return channel;
    }

    /**
     * Runs one transaction for the message: MAIL, RCPT for each recipient, DATA (or BDAT) and the
     * body. Never completes exceptionally; a connection failure is a {@link TransactionOutcome.Failed}.
     */
    public CompletableFuture<TransactionOutcome> send(OutboundMessage message) {
        return onLoop(() -> {
            if (busy) {
                throw new IllegalStateException("a transaction is already running on this connection");
            }
            if (!isReusable()) {
                // for this message the connection was lost before its MAIL, whatever broke it earlier
                return CompletableFuture.completedFuture(MailTransaction.failedBeforeStart(session(),
                        new ConnectionFailure.ConnectionLost(Stage.MAIL), message));
            }
            busy = true;
            transactions.incrementAndGet();
            return new MailTransaction(this, message).run().whenComplete((outcome, error) -> busy = false);
        });
    }

    /**
     * Defers the RSET after a transaction to the front of the next one, in the same write as its
     * MAIL, RCPT and DATA (RFC 2920 allows RSET anywhere in a pipelined group): the connection
     * is free at once, and a message on a reused connection costs no extra round trip. Only for
     * servers that offer PIPELINING; others get {@link #reset()}.
     */
    void resetWithNextTransaction() {
        onLoop(() -> {
            resetPending = true;
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Whether the next transaction must begin with RSET; clears the request. Event loop only. */
    boolean takeResetPending() {
        boolean pending = resetPending;
        resetPending = false;
        return pending;
    }

    /** RSET: true when the server said 250 and the connection can carry the next message. */
    public CompletableFuture<Boolean> reset() {
        return onLoop(() -> {
            if (!isReusable()) {
                return CompletableFuture.completedFuture(false);
            }
            handler.stage(Stage.RSET);
            return command("RSET", Stage.RSET).handle((reply, error) -> {
                if (error != null) {
                    return false;
                }
                if (!reply.isPositive()) {
                    outOfStep = true;
                    channel.close();
                    return false;
                }
                return true;
            });
        });
    }

    /** QUIT (when the session is still in step), then close. Completes when closed. */
    public CompletableFuture<Void> quit() {
        return onLoop(() -> {
            CompletableFuture<Void> closed = closeFuture();
            if (!channel.isActive() || handler.isBroken() || outOfStep || busy || !handler.idle()) {
                channel.close();
                return closed;
            }
            handler.stage(Stage.QUIT);
            command("QUIT", Stage.QUIT).whenComplete((reply, error) -> channel.close());
            return closed;
        });
    }

    /** Closes at once, without QUIT. */
    public void close() {
        channel.close();
    }

    // ---------------------------------------------------------------- session opening

    /** Greeting, EHLO/HELO, STARTTLS as required, EHLO again over TLS. */
    CompletableFuture<SmtpConnection> open() {
        return onLoop(() -> handler.greeting()
                .thenCompose(greeting -> greeting.isPositive() ? hello() : rejected(Stage.GREETING, greeting))
                .thenCompose(v -> startTls())
                .thenApply(v -> this)
                .whenComplete((connection, error) -> {
                    if (error != null) {
                        closeAfterFailure(ConnectionFailureException.unwrap(error, Stage.CONNECT));
                    }
                }));
    }

    private CompletableFuture<Void> hello() {
        handler.stage(Stage.EHLO);
        return command("EHLO " + heloName, Stage.EHLO).thenCompose(reply -> {
            if (reply.isPositive()) {
                extensions = Extensions.fromEhlo(reply);
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (!reply.isPermanentFailure()) {
                return rejected(Stage.EHLO, reply);
            }
            // RFC 5321 4.1.4: a server that does not know EHLO still knows HELO
            handler.stage(Stage.HELO);
            return command("HELO " + heloName, Stage.HELO).thenCompose(helo -> {
                if (!helo.isPositive()) {
                    return rejected(Stage.HELO, helo);
                }
                extensions = Extensions.NONE;
                return CompletableFuture.<Void>completedFuture(null);
            });
        });
    }

    private CompletableFuture<Void> startTls() {
        if (!extensions.has("STARTTLS")) {
            return destination.tls().requiresTls()
                    ? failed(new StartTlsUnavailable(Optional.empty()))
                    : CompletableFuture.completedFuture(null);
        }
        handler.stage(Stage.STARTTLS);
        decoder.expectTlsGrant();
        return command("STARTTLS", Stage.STARTTLS).thenCompose(reply -> {
            if (!reply.isPositive()) {
                return destination.tls().requiresTls()
                        ? failed(new StartTlsUnavailable(Optional.of(reply)))
                        : CompletableFuture.completedFuture(null);
            }
            return handshake().thenCompose(details -> {
                tls = Optional.of(details);
                if (destination.tls().requiresVerifiedCertificate()
                        && details.verdict() instanceof CertificateVerdict.NotVerified(TlsProblem problem, String detail)) {
                    return failed(new TlsFailed(problem, detail, Optional.of(details), localAddress(channel)));
                }
                // RFC 3207: forget everything learnt before TLS; ask again
                extensions = Extensions.NONE;
                handler.stage(Stage.EHLO);
                return command("EHLO " + heloName, Stage.EHLO).thenCompose(ehlo -> {
                    if (!ehlo.isPositive()) {
                        return rejected(Stage.EHLO, ehlo);
                    }
                    extensions = Extensions.fromEhlo(ehlo);
                    return CompletableFuture.<Void>completedFuture(null);
                });
            });
        });
    }

    private CompletableFuture<TlsDetails> handshake() {
        handler.stage(Stage.TLS_HANDSHAKE);
        SslHandler ssl = tlsContext.newHandler(channel.alloc(), destination.mxHost(), destination.address().getPort(),
                timeouts.starttls());
        CompletableFuture<TlsDetails> done = handler.watch(new CompletableFuture<>());
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                decoder.tlsEstablished();
                done.complete(tlsContext.inspect(ssl.engine().getSession(), destination.mxHost(), destination.check()));
            } else {
                ConnectionFailure failure = f.cause() instanceof SslHandshakeTimeoutException
                        ? new ConnectionFailure.TimedOut(Stage.TLS_HANDSHAKE)
                        : new TlsFailed(TlsProblem.VALIDATION_FAILURE,
                                "TLS handshake failed: " + f.cause().getMessage(), Optional.empty(), localAddress(channel));
                handler.fail(failure);
                done.completeExceptionally(new ConnectionFailureException(handler.failure().orElse(failure)));
            }
        });
        // added first: everything from now on, both ways, goes through TLS
        channel.pipeline().addFirst(TLS_HANDLER, ssl);
        return done;
    }

    private <T> CompletableFuture<T> rejected(Stage stage, SmtpReply reply) {
        return failed(new Rejected(stage, reply));
    }

    private static <T> CompletableFuture<T> failed(ConnectionFailure failure) {
        return CompletableFuture.failedFuture(new ConnectionFailureException(failure));
    }

    /** The session is still in step after a refusal: say QUIT politely; otherwise just close. */
    private void closeAfterFailure(ConnectionFailure failure) {
        boolean polite = (failure instanceof Rejected || failure instanceof StartTlsUnavailable)
                && !handler.isBroken() && channel.isActive();
        if (polite) {
            handler.stage(Stage.QUIT);
            command("QUIT", Stage.QUIT).whenComplete((reply, error) -> channel.close());
        } else {
            handler.fail(failure);
            channel.close();
        }
    }

    // ---------------------------------------------------------------- used by MailTransaction

    ClientChannelHandler handler() {
        return handler;
    }

    /** Marks the session as out of step (an unexpected reply): it is closed after the transaction. */
    void outOfStep() {
        outOfStep = true;
    }

    /** Sends one command and awaits its reply. */
    CompletableFuture<SmtpReply> command(String line, Stage stage) {
        CompletableFuture<SmtpReply> reply = handler.expect(stage);
        if (!reply.isDone()) {
            channel.writeAndFlush(encode(line)).addListener(writeFailure(stage));
        }
        return reply;
    }

    /** RFC 2920: several commands in one write; one reply future each, in order. */
    List<CompletableFuture<SmtpReply>> pipeline(List<String> lines, List<Stage> stages) {
        List<CompletableFuture<SmtpReply>> replies = new ArrayList<>(lines.size());
        int size = 0;
        for (String line : lines) {
            size += line.length() + 2;
        }
        ByteBuf batch = channel.alloc().buffer(size * 2);
        for (int i = 0; i < lines.size(); i++) {
            replies.add(handler.expect(stages.get(i)));
            batch.writeCharSequence(lines.get(i), StandardCharsets.UTF_8);
            batch.writeByte('\r').writeByte('\n');
        }
        if (replies.getFirst().isDone()) {
            batch.release(); // already broken: nothing to send
        } else {
            channel.writeAndFlush(batch).addListener(writeFailure(stages.getFirst()));
        }
        return replies;
    }

    /**
     * Writes the body; the data-block timeout restarts on every chunk the socket takes.
     * Completes when the last byte is written; fails (and breaks the connection) otherwise.
     */
    CompletableFuture<Void> writeBody(ChunkedInput<ByteBuf> body) {
        handler.stage(Stage.BODY);
        CompletableFuture<Void> written = handler.watch(new CompletableFuture<>());
        ChannelProgressivePromise promise = channel.newProgressivePromise();
        ScheduledFuture<?>[] timer = {handler.schedule(timeouts.dataBlock(), new ConnectionFailure.TimedOut(Stage.BODY))};
        promise.addListener(new ChannelProgressiveFutureListener() {
            @Override
            public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
                timer[0].cancel(false);
                if (!handler.isBroken()) {
                    timer[0] = handler.schedule(timeouts.dataBlock(), new ConnectionFailure.TimedOut(Stage.BODY));
                }
            }

            @Override
            public void operationComplete(ChannelProgressiveFuture future) {
                timer[0].cancel(false);
                if (future.isSuccess()) {
                    written.complete(null);
                    return;
                }
                ConnectionFailure failure = future.cause() instanceof BodyReadException e
                        ? new ConnectionFailure.LocalError(Stage.BODY, "cannot read the queued message: " + e.getMessage())
                        : new ConnectionFailure.ConnectionLost(Stage.BODY);
                handler.fail(failure);
                written.completeExceptionally(new ConnectionFailureException(handler.failure().orElse(failure)));
            }
        });
        channel.writeAndFlush(body, promise);
        return written;
    }

    private ChannelFutureListener writeFailure(Stage stage) {
        return f -> {
            if (!f.isSuccess()) {
                handler.fail(new ConnectionFailure.ConnectionLost(stage));
            }
        };
    }

    private ByteBuf encode(String line) {
        ByteBuf out = channel.alloc().buffer(line.length() + 8);
        out.writeCharSequence(line, StandardCharsets.UTF_8);
        out.writeByte('\r').writeByte('\n');
        return out;
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
        if (channel.eventLoop().inEventLoop()) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                action.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
