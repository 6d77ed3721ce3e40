package dev.relay.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one SMTP connection: it turns channel events into calls on the protocol
 * ({@link SmtpSession}) and does what the protocol asks ({@link SessionIo}): writes and flushes,
 * holds the framer, upgrades to TLS, swaps the idle timer, runs the read deadline, and brings
 * results computed elsewhere (a commit, a password check) back to the event loop.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter implements SessionIo {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final SessionServices services;
    private final SmtpSession session;
    private ChannelHandlerContext ctx;
    private SmtpFramer framer;
    private Duration currentTimeout;
    private ReadDeadline deadline = ReadDeadline.OFF;

    SessionHandler(SessionServices services) {
        this.services = services;
        this.session = new SmtpSession(services, this);
    }

    static IdleStateHandler idleHandler(Duration timeout) {
        return new IdleStateHandler(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    /** Stop taking new transactions (event loop only; see {@link SmtpSession#drain}). */
    void drain() {
        session.drain();
    }

    /** The grace period is over (event loop only; see {@link SmtpSession#forceClose}). */
    void forceClose() {
        session.forceClose();
    }

    // ---- channel events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.framer = ctx.pipeline().get(SmtpFramer.class);
        this.currentTimeout = services.settings().limits().commandTimeout();
        if (services.settings().limits().perRecordDeadline()) {
            this.deadline = new ReadDeadline(ctx.executor(), session::deadlinePassed, services.settings().limits().minDataRate());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            InetAddress client = RelayNetworks.unmapped(remote.getAddress());
            session.connected(client, NetUtil.toAddressString(client), localAddress());
        } else {
            // no IP address, no way to apply relay or per-client rules
            ctx.close();
        }
    }

    private InetAddress localAddress() {
        return ctx.channel().localAddress() instanceof InetSocketAddress local && local.getAddress() != null
                ? RelayNetworks.unmapped(local.getAddress())
                : InetAddress.getLoopbackAddress();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.stop();
        session.disconnected();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SmtpInput input) {
            session.input(input);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            framer.release(SmtpFramer.Hold.UNWRITABLE);
        } else {
            // the client does not read its replies: stop reading its commands
            framer.hold(SmtpFramer.Hold.UNWRITABLE);
        }
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            session.idle();
        } else if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                SSLSession tls = ctx.pipeline().get(SslHandler.class).engine().getSession();
                session.tlsEstablished(tls.getProtocol() + " " + tls.getCipherSuite());
            } else {
                session.tlsFailed(String.valueOf(handshake.cause()));
            }
        } else if (event instanceof SslCloseCompletionEvent) {
            session.tlsClosed();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.failed(cause, cause instanceof IOException || cause instanceof DecoderException);
    }

    // ---- SessionIo ----

    @Override
    public void write(Reply reply) {
        ctx.write(reply);
    }

    @Override
    public void writeAndFlush(Reply reply) {
        ctx.writeAndFlush(reply);
    }

    @Override
    public void closeAfter(Reply reply) {
        deadline.stop();
        framer.hold(SmtpFramer.Hold.CLOSING);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        if (!ctx.channel().isWritable()) {
            // the client reads none of its replies: waiting for this one to be written could last for ever
            ctx.close();
        }
    }

    @Override
    public void close() {
        deadline.stop();
        ctx.close();
    }

    @Override
    public int buffered() {
        return framer.buffered();
    }

    @Override
    public int discardBuffered() {
        return framer.discardBuffered();
    }

    @Override
    public void hold(SmtpFramer.Hold reason) {
        framer.hold(reason);
    }

    @Override
    public void release(SmtpFramer.Hold reason) {
        framer.release(reason);
        ctx.flush();
    }

    @Override
    public void expectData() {
        framer.expectData();
    }

    @Override
    public void expectChunk(long size) {
        framer.expectChunk(size);
    }

    @Override
    public void startTls(Reply ready) {
        SslHandler handler = new SslHandler(services.sslContext().orElseThrow().newEngine(ctx.alloc()), true);
        ctx.pipeline().addFirst(PipelineNames.TLS, handler);
        // startTls=true: the handler lets this first write through in clear, then handshakes
        ctx.writeAndFlush(ready);
    }

    @Override
    public void awaitCommand() {
        Duration timeout = services.settings().limits().commandTimeout();
        useTimeout(timeout);
        deadline.command(timeout);
    }

    @Override
    public void awaitContent() {
        Duration timeout = services.settings().limits().dataTimeout();
        useTimeout(timeout);
        deadline.content(timeout);
    }

    @Override
    public void contentReceived(long octets) {
        deadline.received(octets);
    }

    @Override
    public void later(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException shutDown) {
            log.debug("event loop gone before a result for {} came back", ctx.channel().remoteAddress());
        }
    }

    private void useTimeout(Duration timeout) {
        if (!timeout.equals(currentTimeout) && ctx.pipeline().get(PipelineNames.IDLE) != null) {
            currentTimeout = timeout;
            ctx.pipeline().replace(PipelineNames.IDLE, PipelineNames.IDLE, idleHandler(timeout));
        }
    }
}
