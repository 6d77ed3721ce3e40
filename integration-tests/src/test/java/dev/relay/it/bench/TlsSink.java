package dev.relay.it.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving end of the delivery benchmark: a fast SMTP sink on 127.0.0.1, meant to run in
 * a JVM of its own so that the relay's CPU can be measured apart. Netty with the OpenSSL
 * provider (netty-tcnative BoringSSL), one small state machine per connection that answers
 * without building strings: greeting, EHLO (PIPELINING, STARTTLS, 8BITMIME, SIZE), STARTTLS,
 * MAIL, RCPT, DATA (scanned for the final dot), RSET, NOOP, QUIT. Replies to pipelined commands
 * go out in one write per read. Every message is accepted and dropped.
 *
 * <p>Arguments: {@code certificate-chain.pem key.pem [event-loop-threads]}. Prints
 * {@code port=N} once listening; when its stdin closes it prints
 * {@code sink messages=N connections=N handshakes=N resumed=N} and exits.
 */
public final class TlsSink {

    private static final byte[] GREETING = ascii("220 mx.bench.test ESMTP sink\r\n");
    private static final byte[] EHLO = ascii("250-mx.bench.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250-8BITMIME\r\n"
            + "250 SIZE 52428800\r\n");
    private static final byte[] EHLO_TLS = ascii("250-mx.bench.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
            + "250 SIZE 52428800\r\n");
    private static final byte[] OK = ascii("250 2.0.0 ok\r\n");
    private static final byte[] GO_AHEAD = ascii("354 go ahead\r\n");
    private static final byte[] QUEUED = ascii("250 2.0.0 ok: queued\r\n");
    private static final byte[] READY = ascii("220 2.0.0 ready to start TLS\r\n");
    private static final byte[] BYE = ascii("221 2.0.0 bye\r\n");
    private static final byte[] UNKNOWN = ascii("500 5.5.1 unknown command\r\n");
    private static final int MAX_LINE = 1000;

    private static final AtomicLong messages = new AtomicLong();
    private static final AtomicLong connections = new AtomicLong();
    private static final AtomicLong handshakes = new AtomicLong();
    private static final AtomicLong resumed = new AtomicLong();

    private TlsSink() {}

    public static void main(String[] args) throws Exception {
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("OpenSSL (netty-tcnative) does not load here: " + OpenSsl.unavailabilityCause());
        }
        SslContext tls = SslContextBuilder.forServer(new File(args[0]), new File(args[1]))
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
        int threads = BenchArgs.number(args, 2, 1);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("sink", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.incrementAndGet();
                        channel.pipeline().addLast("smtp", new Session(tls));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        System.out.println("port=" + ((InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        // runs until whoever started it closes our stdin
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            while (in.readLine() != null) {
                // nothing to do: a line is not a command
            }
        }
        server.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        System.out.printf("sink messages=%d connections=%d handshakes=%d resumed=%d%n", messages.get(),
                connections.get(), handshakes.get(), resumed.get());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** One SMTP session: command lines, or message content until CRLF.CRLF. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        private final SslContext tls;
        private final byte[] line = new byte[MAX_LINE];
        private int length;
        private boolean data;
        private boolean secure;
        /** In content: how much of "\r\n.\r\n" has been seen (content starts as if after CRLF). */
        private int endMatch;
        private boolean wrote;

        Session(SslContext tls) {
            this.tls = tls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().buffer(GREETING.length).writeBytes(GREETING));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable()) {
                    if (data) {
                        content(ctx, in);
                    } else if (command(ctx, in)) {
                        return; // STARTTLS: whatever followed it in this read is dropped
                    }
                }
            } finally {
                ReferenceCountUtil.release(in);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (wrote) {
                wrote = false;
                ctx.flush();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                handshakes.incrementAndGet();
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl.engine() instanceof io.netty.handler.ssl.ReferenceCountedOpenSslEngine engine
                        && io.netty.internal.tcnative.SSL.isSessionReused(engine.sslPointer())) {
                    resumed.incrementAndGet();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void reply(ChannelHandlerContext ctx, byte[] reply) {
            ctx.write(ctx.alloc().buffer(reply.length).writeBytes(reply));
            wrote = true;
        }

        /** Consumes content up to and including the final dot line, if it is in this buffer. */
        private void content(ChannelHandlerContext ctx, ByteBuf in) {
            int end = in.forEachByte(endOfData);
            if (end < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(end + 1);
            data = false;
            messages.incrementAndGet();
            reply(ctx, QUEUED);
        }

        /** Stops at the LF of CRLF.CRLF; carries how much of it was seen from one buffer to the next. */
        private final io.netty.util.ByteProcessor endOfData = b -> {
            endMatch = switch (endMatch) {
                case 0 -> b == '\r' ? 1 : 0;
                case 1 -> b == '\n' ? 2 : b == '\r' ? 1 : 0;
                case 2 -> b == '.' ? 3 : b == '\r' ? 1 : 0;
                case 3 -> b == '\r' ? 4 : 0;
                case 4 -> b == '\n' ? 5 : b == '\r' ? 1 : 0;
                default -> 0;
            };
            return endMatch != 5;
        };

        /** Consumes one command line if complete; true when the rest of the buffer must be dropped. */
        private boolean command(ChannelHandlerContext ctx, ByteBuf in) {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            int end = eol < 0 ? in.writerIndex() : eol;
            int take = Math.min(end - in.readerIndex(), MAX_LINE - length);
            in.getBytes(in.readerIndex(), line, length, take);
            length += take;
            in.readerIndex(eol < 0 ? in.writerIndex() : eol + 1);
            if (eol < 0) {
                return false;
            }
            int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            length = 0;
            if (is(n, "MAIL") || is(n, "RCPT") || is(n, "RSET") || is(n, "NOOP")) {
                reply(ctx, OK);
            } else if (is(n, "DATA")) {
                data = true;
                endMatch = 2; // the content starts at the beginning of a line
                reply(ctx, GO_AHEAD);
            } else if (is(n, "EHLO") || is(n, "HELO")) {
                reply(ctx, secure ? EHLO_TLS : EHLO);
            } else if (is(n, "STARTTLS") && !secure) {
                secure = true;
                // added before the 220 goes out, which it lets through in the clear (startTls = true)
                ctx.pipeline().addFirst("tls", new SslHandler(tls.newEngine(ctx.alloc()), true));
                ctx.writeAndFlush(ctx.alloc().buffer(READY.length).writeBytes(READY));
                return true;
            } else if (is(n, "QUIT")) {
                ctx.writeAndFlush(ctx.alloc().buffer(BYE.length).writeBytes(BYE))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return true;
            } else {
                reply(ctx, UNKNOWN);
            }
            return false;
        }

        private boolean is(int n, String verb) {
            if (n < verb.length()) {
                return false;
            }
            for (int i = 0; i < verb.length(); i++) {
                if ((line[i] & 0xDF) != verb.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
