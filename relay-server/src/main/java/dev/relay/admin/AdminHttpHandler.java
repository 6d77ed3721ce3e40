package dev.relay.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one aggregated HTTP request into an {@link AdminRequest}, checks the token, runs the
 * route on the worker pool and writes the answer. Exchanges on one connection are answered
 * strictly in order (HTTP/1.1 pipelining): reading pauses while one is answered, and requests
 * already decoded wait in a queue.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final String BEARER = "bearer ";

    private final RouteTable routes;
    private final BearerCheck bearer;
    private final Executor workers;

    AdminHttpHandler(RouteTable routes, BearerCheck bearer, Executor workers) {
        this.routes = routes;
        this.bearer = bearer;
        this.workers = workers;
    }

    /** One request waiting for its turn: how to answer it and how to end the exchange. */
    private record Exchange(Supplier<AdminResponse> answer, boolean onWorker, boolean keepAlive, boolean head) {}

    // touched only on the channel's event loop
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private boolean busy;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
        waiting.add(exchange(http, ctx.channel().remoteAddress()));
        // no more reading while answering; requests already decoded from the last read wait here
        ctx.channel().config().setAutoRead(false);
        if (!busy) {
            next(ctx);
        }
    }

    private Exchange exchange(FullHttpRequest http, java.net.SocketAddress remote) {
        boolean keepAlive = HttpUtil.isKeepAlive(http);
        boolean head = HttpMethod.HEAD.equals(http.method());
        if (!http.decoderResult().isSuccess()) {
            return answered(AdminResponse.badRequest("malformed request"), false, head);
        }
        QueryStringDecoder uri = new QueryStringDecoder(http.uri());
        AdminRequest request = new AdminRequest(head ? "GET" : http.method().name(), uri.path(), uri.parameters(),
                bearerToken(http), ByteBufUtil.getBytes(http.content()), headers(http),
                remote instanceof java.net.InetSocketAddress inet ? Optional.of(inet.getAddress().getHostAddress())
                        : Optional.empty());
        return switch (routes.match(request.method(), request.path())) {
            case RouteTable.Match.NotFound none -> answered(AdminResponse.notFound("no such path"), keepAlive, head);
            case RouteTable.Match.WrongMethod wrong ->
                    answered(AdminResponse.text(405, "method not allowed\n"), keepAlive, head);
            case RouteTable.Match.Found found -> !found.route().open() && !bearer.allows(request.bearerToken())
                    ? answered(AdminResponse.text(401, "a valid admin token is required\n"), keepAlive, head)
                    : new Exchange(() -> run(found.route(), request), true, keepAlive, head);
        };
    }

    private static Exchange answered(AdminResponse response, boolean keepAlive, boolean head) {
        return new Exchange(() -> response, false, keepAlive, head);
    }

    /** Answers the next waiting exchange, in order; resumes reading when none is left. */
    private void next(ChannelHandlerContext ctx) {
        Exchange exchange = waiting.poll();
        if (exchange == null || !ctx.channel().isActive()) {
            busy = false;
            waiting.clear();
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        if (!exchange.onWorker()) {
            finish(ctx, exchange, exchange.answer().get());
            return;
        }
        try {
            workers.execute(() -> {
                AdminResponse response = exchange.answer().get();
                ctx.executor().execute(() -> finish(ctx, exchange, response));
            });
        } catch (RejectedExecutionException full) {
            finish(ctx, exchange, AdminResponse.text(503, "busy, try again\n"));
        }
    }

    private void finish(ChannelHandlerContext ctx, Exchange exchange, AdminResponse response) {
        write(ctx, response, exchange.keepAlive(), exchange.head());
        if (exchange.keepAlive()) {
            next(ctx);
        } else {
            waiting.clear();
        }
    }

    private static AdminResponse run(RouteTable.Route route, AdminRequest request) {
        try {
            return route.handler().handle(request);
        } catch (Exception e) {
            log.warn("admin {} {} failed: {}", request.method(), request.path(), e.toString());
            return AdminResponse.text(500, "internal error\n");
        }
    }

    private static Optional<String> bearerToken(FullHttpRequest http) {
        String value = http.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (value == null || value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(value.substring(BEARER.length()).strip());
    }

    private static Map<String, String> headers(FullHttpRequest http) {
        Map<String, String> headers = new HashMap<>();
        http.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        headers.remove("authorization");
        return headers;
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive, boolean head) {
        byte[] body = answer.body();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (answer.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"relay-admin\"");
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
