package dev.relay.it.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load side of {@link AcceptLoad}: N SMTP connections driven by one or two Netty event
 * loop threads, so the generator costs little CPU next to the relay it measures (a blocking
 * thread per client cost about a third of the relay's CPU on a 2-core machine).
 *
 * <p>Each connection runs a small state machine: greeting, EHLO, then in a loop MAIL, RCPT and
 * DATA pipelined in one write, three replies (250, 250, 354), the payload, and the 250 whose
 * delay from the end of the payload is the latency measured. When the run's time is up each
 * connection finishes the message in flight and sends QUIT.
 *
 * <p>Without pipelining ({@link Mode#pipelining()} false) each command waits for its reply, as
 * JavaMail, Python's smtplib and most application libraries do: MAIL, 250, RCPT, 250, DATA,
 * 354, payload, 250. Recipients go to {@code rcptN@DOMAIN}, the domains taken in turn from
 * {@link Mode#domains()}, so that many destination domains get the same share of messages.
 */
final class LoadDriver implements AutoCloseable {

    /** What one run measured. Latencies are sorted. */
    record Measurement(long[] latenciesNanos, long errors, long driverCpuNanos, long elapsedNanos) {
        int count() {
            return latenciesNanos.length;
        }

        double percentileNanos(double p) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, index))];
        }
    }

    /**
     * How the clients talk.
     *
     * @param pipelining MAIL, RCPT and DATA in one write (true) or each waiting for its reply
     * @param domains the recipient domains, taken in turn (one each message)
     */
    record Mode(boolean pipelining, List<String> domains) {
        static final Mode PIPELINING = new Mode(true, List.of("example.test"));

        Mode {
            domains = List.copyOf(domains);
            if (domains.isEmpty()) {
                throw new IllegalArgumentException("no recipient domain");
            }
        }
    }

    private final EventLoopGroup group;
    private final boolean epoll;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();

    LoadDriver(int threadCount) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        DefaultThreadFactory named = new DefaultThreadFactory("load", true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                Thread thread = super.newThread(r, name);
                threads.add(thread);
                return thread;
            }
        };
        this.group = new MultiThreadIoEventLoopGroup(threadCount, named, factory);
    }

    /** Drives {@code clients} connections for {@code duration}, then waits for them to finish. */
    Measurement run(InetSocketAddress address, int clients, Duration duration, byte[] payload)
            throws InterruptedException {
        return run(address, clients, duration, payload, Mode.PIPELINING);
    }

    /** Drives {@code clients} connections talking as {@code mode} says for {@code duration}. */
    Measurement run(InetSocketAddress address, int clients, Duration duration, byte[] payload, Mode mode)
            throws InterruptedException {
        return run(address, clients, duration, Long.MAX_VALUE, payload, mode);
    }

    /**
     * Drives {@code clients} connections until {@code duration} has passed or {@code messages}
     * messages have been sent in all (whichever comes first), then waits for them to finish.
     */
    Measurement run(InetSocketAddress address, int clients, Duration duration, long messages, byte[] payload,
            Mode mode) throws InterruptedException {
        byte[][] envelopes = envelopes(mode);
        AtomicLong budget = new AtomicLong(messages);
        ByteBuf sharedPayload = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(payload.length).writeBytes(payload)).asReadOnly();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        List<Connection> connections = new ArrayList<>(clients);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        long cpuBefore = driverCpuNanos();
        long started = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Connection connection = new Connection(i, clients, mode.pipelining(), envelopes, sharedPayload, budget,
                    errors, done);
            connections.add(connection);
            ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(connection);
                }
            }).connect(address);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    errors.incrementAndGet();
                    connection.finish();
                }
            });
        }
        // the load runs for this long (or until the budget is spent): the wait is the measurement window
        boolean allDone = done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        for (Connection connection : connections) {
            connection.stop();
        }
        if (!allDone && !done.await(60, TimeUnit.SECONDS)) {
            errors.addAndGet(done.getCount());
        }
        long elapsed = System.nanoTime() - started;
        long cpu = driverCpuNanos() - cpuBefore;
        int total = 0;
        for (Connection connection : connections) {
            total += connection.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Connection connection : connections) {
            System.arraycopy(connection.latencies, 0, all, at, connection.count);
            at += connection.count;
        }
        Arrays.sort(all);
        return new Measurement(all, errors.get(), cpu, elapsed);
    }

    /**
     * For each domain the commands of one message: with pipelining MAIL, RCPT and DATA as one
     * write; without, the RCPT line alone (MAIL and DATA are the same for every message).
     */
    private static byte[][] envelopes(Mode mode) {
        byte[][] envelopes = new byte[mode.domains().size()][];
        for (int i = 0; i < envelopes.length; i++) {
            String rcpt = "RCPT TO:<rcpt" + i + "@" + mode.domains().get(i) + ">\r\n";
            envelopes[i] = (mode.pipelining() ? "MAIL FROM:<load@bench.test>\r\n" + rcpt + "DATA\r\n" : rcpt)
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return envelopes;
    }

    /** CPU time of the driver's threads so far. */
    long driverCpuNanos() {
        long sum = 0;
        for (Thread thread : threads) {
            long cpu = threadBean.getThreadCpuTime(thread.threadId());
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    /** One SMTP client connection. All methods but {@link #stop()} run on its event loop. */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private enum State { GREETING, EHLO, ENVELOPE, MAIL, RCPT, DATA, MESSAGE, QUIT, DONE }

        private static final byte[] MAIL_FROM = "MAIL FROM:<load@bench.test>\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] DATA_COMMAND = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);

        private final ByteBuf payload;
        private final boolean pipelining;
        private final byte[][] envelopes;
        private final int stride;
        private final AtomicLong budget;
        private final AtomicLong errors;
        private final CountDownLatch done;
        private final ReplyReader replies = new ReplyReader();
        private volatile boolean stopping;
        private ChannelHandlerContext ctx;
        private State state = State.GREETING;
        private int envelopeReplies;
        /** Which envelope the next message uses; steps by the number of connections. */
        private int next;
        private boolean envelopeOk;
        private long sentAt;
        long[] latencies = new long[1024];
        int count;

        Connection(int index, int connections, boolean pipelining, byte[][] envelopes, ByteBuf payload,
                AtomicLong budget, AtomicLong errors, CountDownLatch done) {
            this.payload = payload;
            this.pipelining = pipelining;
            this.envelopes = envelopes;
            this.next = index % envelopes.length;
            this.stride = connections;
            this.budget = budget;
            this.errors = errors;
            this.done = done;
        }

        void stop() {
            stopping = true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                replies.feed(in, this::onReply);
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (state != State.DONE) {
                if (state != State.QUIT) {
                    errors.incrementAndGet();
                }
                finish();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        void finish() {
            if (state != State.DONE) {
                state = State.DONE;
                done.countDown();
            }
        }

        /** Called with the code of each complete reply (its last line). */
        private void onReply(int code) {
            switch (state) {
                case GREETING -> {
                    if (code != 220) {
                        fail();
                        return;
                    }
                    state = State.EHLO;
                    write("EHLO load.test\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                case EHLO -> {
                    if (code != 250) {
                        fail();
                        return;
                    }
                    nextMessage();
                }
                case ENVELOPE -> {
                    envelopeReplies++;
                    envelopeOk &= code == (envelopeReplies == 3 ? 354 : 250);
                    if (envelopeReplies < 3) {
                        return;
                    }
                    if (!envelopeOk) {
                        // the DATA was refused (or the 354 came after a refused MAIL/RCPT): start over
                        errors.incrementAndGet();
                        if (code == 354) {
                            write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                            state = State.MESSAGE;
                            sentAt = -1;
                            return;
                        }
                        write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
                        state = State.MESSAGE;
                        sentAt = -1;
                        return;
                    }
                    state = State.MESSAGE;
                    ctx.writeAndFlush(payload.duplicate());
                    sentAt = System.nanoTime();
                }
                case MAIL -> {
                    if (code != 250) {
                        refused();
                        return;
                    }
                    state = State.RCPT;
                    write(envelopes[next]);
                    next = (next + stride) % envelopes.length;
                }
                case RCPT -> {
                    if (code != 250) {
                        refused();
                        return;
                    }
                    state = State.DATA;
                    write(DATA_COMMAND);
                }
                case DATA -> {
                    if (code != 354) {
                        refused();
                        return;
                    }
                    state = State.MESSAGE;
                    ctx.writeAndFlush(payload.duplicate());
                    sentAt = System.nanoTime();
                }
                case MESSAGE -> {
                    long elapsed = System.nanoTime() - sentAt;
                    if (sentAt >= 0) {
                        if (code == 250) {
                            record(elapsed);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    nextMessage();
                }
                case QUIT -> {
                    finish();
                    ctx.close();
                }
                case DONE -> { }
            }
        }

        private void nextMessage() {
            if (stopping || budget.getAndDecrement() <= 0) {
                state = State.QUIT;
                write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (!pipelining) {
                state = State.MAIL;
                write(MAIL_FROM);
                return;
            }
            state = State.ENVELOPE;
            envelopeReplies = 0;
            envelopeOk = true;
            write(envelopes[next]);
            next = (next + stride) % envelopes.length;
        }

        /** A refused command without pipelining: count it, reset the transaction, go on. */
        private void refused() {
            errors.incrementAndGet();
            write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
            state = State.MESSAGE;
            sentAt = -1;
        }

        private void record(long elapsed) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = elapsed;
        }

        private void write(byte[] bytes) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }

        private void fail() {
            errors.incrementAndGet();
            finish();
            ctx.close();
        }
    }

    /**
     * Splits the reply stream into lines and reports the code of each reply's last line
     * ("250 ..." rather than "250-..."). Lines may arrive split across reads.
     */
    private static final class ReplyReader {
        interface Sink {
            void reply(int code);
        }

        private final byte[] line = new byte[1024];
        private int length;

        void feed(ByteBuf in, Sink sink) {
            while (in.isReadable()) {
                byte b = in.readByte();
                if (b == '\n') {
                    if (length >= 4 && line[3] == ' ') {
                        sink.reply((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
                    } else if (length < 4) {
                        sink.reply(-1);
                    }
                    length = 0;
                } else if (length < line.length) {
                    line[length++] = b;
                }
            }
        }
    }
}
