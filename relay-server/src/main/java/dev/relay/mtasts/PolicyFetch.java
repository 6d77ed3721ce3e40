package dev.relay.mtasts;

import dev.relay.dns.DnsResult;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fetch: resolve the policy host, walk its addresses until one gives a final answer, all
 * under one deadline. The result completes exactly once; whatever completes it also closes the
 * connection in use, so a timeout leaves nothing behind.
 */
final class PolicyFetch {
    private static final Logger log = LoggerFactory.getLogger(PolicyFetch.class);

    /** What one address gave: a final result, or a failure that lets the next address be tried. */
    sealed interface Outcome {
        record Final(FetchResult result) implements Outcome {}

        record Next(FetchFailure kind, String detail) implements Outcome {}
    }

    private final PolicyFetcher.Setup setup;
    private final String host;
    private final long deadline;
    private final CompletableFuture<FetchResult> result = new CompletableFuture<>();
    private final List<Outcome.Next> failures = new CopyOnWriteArrayList<>(); // the timer reads it too
    private volatile Channel current;

    PolicyFetch(PolicyFetcher.Setup setup, String host) {
        this.setup = setup;
        this.host = host;
        this.deadline = System.nanoTime() + setup.totalTimeout().toNanos();
    }

    CompletableFuture<FetchResult> start() {
        var timer = setup.group().next().schedule(this::timedOut, setup.totalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((r, e) -> {
            timer.cancel(false);
            closeCurrent();
        });
        setup.dns().lookupAddresses(host).whenComplete((addresses, error) -> {
            if (error != null) {
                result.complete(new FetchResult.Failed(FetchFailure.DNS_ERROR, "cannot resolve " + host + ": " + error));
                return;
            }
            switch (addresses) {
                case DnsResult.Found<InetAddress> found -> tryAddress(found.values(), 0);
                case DnsResult.NoSuchDomain<InetAddress> n ->
                        result.complete(new FetchResult.Failed(FetchFailure.DNS_ERROR, host + " does not exist (NXDOMAIN)"));
                case DnsResult.NoData<InetAddress> n ->
                        result.complete(new FetchResult.Failed(FetchFailure.DNS_ERROR, host + " has no A or AAAA records"));
                case DnsResult.TemporaryFailure<InetAddress> failure ->
                        result.complete(new FetchResult.Failed(FetchFailure.DNS_ERROR,
                                "cannot resolve " + host + ": " + failure.reason()));
            }
        });
        return result;
    }

    private void tryAddress(List<InetAddress> addresses, int index) {
        if (result.isDone()) {
            return;
        }
        if (index == addresses.size()) {
            result.complete(allFailed());
            return;
        }
        InetSocketAddress target = new InetSocketAddress(addresses.get(index), setup.port());
        String where = host + "[" + literal(target.getAddress()) + "]:" + target.getPort();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        outcome.whenComplete((o, error) -> {
            switch (o) {
                case Outcome.Final f -> result.complete(f.result());
                case Outcome.Next next -> {
                    log.debug("policy fetch: {}", next.detail());
                    failures.add(next);
                    closeCurrent();
                    tryAddress(addresses, index + 1);
                }
            }
        });
        Duration remaining = remaining();
        long connectMillis = Math.max(1, Math.min(setup.connectTimeout().toMillis(), remaining.toMillis()));
        ChannelFuture connecting = setup.bootstrap().clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // the deadline ends the fetch; the handshake's own timeout only backs it up
                        SslHandler ssl = setup.tls().newHandler(channel.alloc(), host, setup.port(),
                                remaining().plusSeconds(1));
                        channel.pipeline()
                                .addLast("tls", ssl)
                                .addLast("http", new HttpClientCodec())
                                .addLast("policy", new PolicyExchange(setup, host, where, outcome));
                    }
                })
                .connect(target);
        current = connecting.channel();
        if (result.isDone()) {
            closeCurrent(); // the deadline passed while this connection was being set up
            return;
        }
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                outcome.complete(new Outcome.Next(FetchFailure.CONNECT_ERROR, where + ": " + connectError(f.cause())));
            }
        });
    }

    private void timedOut() {
        StringBuilder detail = new StringBuilder("no complete response from ").append(host)
                .append(" within ").append(setup.totalTimeout().toMillis()).append(" ms");
        if (!failures.isEmpty()) {
            detail.append(" (").append(joined()).append(')');
        }
        result.complete(new FetchResult.Failed(FetchFailure.TIMEOUT, detail.toString()));
    }

    /** The failure that got furthest names the kind: a TLS problem says more than a refused connection. */
    private FetchResult allFailed() {
        FetchFailure kind = failures.stream().anyMatch(f -> f.kind() == FetchFailure.TLS_ERROR)
                ? FetchFailure.TLS_ERROR
                : failures.stream().map(Outcome.Next::kind).findFirst().orElse(FetchFailure.CONNECT_ERROR);
        return new FetchResult.Failed(kind, joined());
    }

    private String joined() {
        return String.join("; ", failures.stream().map(Outcome.Next::detail).toList());
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private void closeCurrent() {
        Channel c = current;
        if (c != null) {
            c.close();
        }
    }

    private static String connectError(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connection timed out";
        }
        String message = cause.getMessage();
        if (cause instanceof ConnectException && message != null && message.contains("refused")) {
            return "connection refused";
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        return address instanceof Inet6Address ? "IPv6:" + text : text;
    }
}
