package dev.relay.smtp.client;

import dev.relay.tls.TlsProblem;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Pairs replies with the commands that asked for them, in order (pipelining puts several in
 * flight), and runs each reply's RFC 5321 timeout while it is the one awaited. The first
 * failure of any kind (timeout, closed connection, malformed reply, unsolicited reply, TLS
 * error) breaks the connection: every waiter fails with it and the channel is closed, since
 * replies could no longer be matched to commands. Event-loop confined.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {

    /** A reply the conversation waits for. */
    static final class Pending {
        final Stage stage;
        final CompletableFuture<SmtpReply> future = new CompletableFuture<>();
        boolean ready;
        ScheduledFuture<?> timer;

        Pending(Stage stage, boolean ready) {
            this.stage = stage;
            this.ready = ready;
        }
    }

    private final ClientTimeouts timeouts;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<CompletableFuture<?>> otherWaiters = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private Stage stage = Stage.GREETING;
    private volatile ConnectionFailure failure;

    private final Pending greeting;

    ClientChannelHandler(ClientTimeouts timeouts) {
        this.timeouts = timeouts;
        // awaited from the start: the greeting may arrive before whoever connected hears of the connection
        this.greeting = register(new Pending(Stage.GREETING, false));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ready(greeting); // the greeting timeout runs from the moment the connection stands
        ctx.fireChannelActive();
    }

    /** The server's greeting. */
    CompletableFuture<SmtpReply> greeting() {
        return greeting.future;
    }

    /** Where the conversation is, for failures not tied to an awaited reply (e.g. while the body is written). */
    void stage(Stage stage) {
        this.stage = stage;
    }

    Optional<ConnectionFailure> failure() {
        return Optional.ofNullable(failure);
    }

    boolean isBroken() {
        return failure != null;
    }

    boolean idle() {
        return pending.isEmpty();
    }

    /** Awaits the next reply; its timeout runs once the replies before it have arrived. */
    CompletableFuture<SmtpReply> expect(Stage stage) {
        return register(new Pending(stage, true)).future;
    }

    /** Awaits a reply whose timeout starts only at {@link #ready}: the reply to the end of the body. */
    Pending expectLater(Stage stage) {
        return register(new Pending(stage, false));
    }

    void ready(Pending p) {
        p.ready = true;
        if (pending.peekFirst() == p) {
            arm(p);
        }
    }

    /** Ties another future (a handshake, a body write) to the connection: it fails when the connection breaks. */
    @SuppressWarnings("ReferenceEquality") // a future has no value equality: a waiter is itself, found by identity
    <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
        if (failure != null) {
            future.completeExceptionally(new ConnectionFailureException(failure));
        } else {
            otherWaiters.add(future);
            future.whenComplete((v, e) -> otherWaiters.removeIf(waiter -> waiter == future));
        }
        return future;
    }

    /** Breaks the connection with this failure, unless it is already broken. */
    void fail(ConnectionFailure cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        ConnectionFailureException exception = new ConnectionFailureException(cause);
        List<Pending> waiting = new ArrayList<>(pending);
        pending.clear();
        for (Pending p : waiting) {
            cancelTimer(p);
            p.future.completeExceptionally(exception);
        }
        for (CompletableFuture<?> other : new ArrayList<>(otherWaiters)) {
            other.completeExceptionally(exception);
        }
        otherWaiters.clear();
        if (ctx != null) {
            ctx.close();
        }
    }

    /** A timer on the event loop that breaks the connection when it fires. */
    ScheduledFuture<?> schedule(Duration timeout, ConnectionFailure onExpiry) {
        return ctx.executor().schedule(() -> fail(onExpiry), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SmtpReply reply)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Pending head = pending.pollFirst();
        if (head == null) {
            // a server about to close says 421 unasked; anything else unasked means we are out of step
            fail(reply.code() == 421
                    ? new ConnectionFailure.Rejected(stage, reply)
                    : new ConnectionFailure.ProtocolError(stage, "unexpected reply: " + reply.text()));
            return;
        }
        cancelTimer(head);
        Pending next = pending.peekFirst();
        if (next != null && next.ready) {
            arm(next);
        }
        head.future.complete(reply);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new ConnectionFailure.ConnectionLost(currentStage()));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Stage at = currentStage();
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SslHandshakeTimeoutException) {
            fail(new ConnectionFailure.TimedOut(Stage.TLS_HANDSHAKE));
        } else if (at == Stage.TLS_HANDSHAKE) {
            // whatever breaks the handshake (an alert, bytes that are not TLS) is a TLS failure
            fail(new ConnectionFailure.TlsFailed(TlsProblem.VALIDATION_FAILURE,
                    "TLS handshake failed: " + root.getMessage(), Optional.empty(), SmtpConnection.localAddress(ctx.channel())));
        } else if (root instanceof SSLException) {
            fail(new ConnectionFailure.ProtocolError(at, "TLS error: " + root.getMessage()));
        } else if (cause instanceof DecoderException) {
            fail(new ConnectionFailure.ProtocolError(at, String.valueOf(cause.getMessage())));
        } else if (root instanceof IOException) {
            fail(new ConnectionFailure.ConnectionLost(at));
        } else {
            fail(new ConnectionFailure.ProtocolError(at, String.valueOf(root)));
        }
    }

    private Stage currentStage() {
        Pending head = pending.peekFirst();
        return head != null && head.ready ? head.stage : stage;
    }

    private Pending register(Pending p) {
        if (failure != null) {
            p.future.completeExceptionally(new ConnectionFailureException(failure));
            return p;
        }
        pending.addLast(p);
        if (pending.size() == 1 && p.ready) {
            arm(p);
        }
        return p;
    }

    private void arm(Pending p) {
        if (p.timer == null) {
            p.timer = schedule(timeouts.forStage(p.stage), new ConnectionFailure.TimedOut(p.stage));
        }
    }

    private static void cancelTimer(Pending p) {
        if (p.timer != null) {
            p.timer.cancel(false);
        }
    }
}
