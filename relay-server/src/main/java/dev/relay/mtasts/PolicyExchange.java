package dev.relay.mtasts;

import dev.relay.concurrent.FutureFailures;
import dev.relay.mtasts.PolicyFetch.Outcome;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsDetails;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS exchange with one address of the policy host: after the handshake, the
 * certificate verdict for the policy host; then one GET; then the response, judged as it
 * arrives (status and declared length first, then the body against the cap). Everything that
 * can happen on the connection ends in exactly one {@link Outcome}; later events are ignored.
 */
final class PolicyExchange extends SimpleChannelInboundHandler<HttpObject> {
    private static final Logger log = LoggerFactory.getLogger(PolicyExchange.class);

    private enum State {
        HANDSHAKE,
        AWAITING_RESPONSE,
        READING_BODY
    }

    private final PolicyFetcher.Setup setup;
    private final String host;
    private final String where;
    private final CompletableFuture<Outcome> outcome;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private State state = State.HANDSHAKE;

    PolicyExchange(PolicyFetcher.Setup setup, String host, String where, CompletableFuture<Outcome> outcome) {
        this.setup = setup;
        this.host = host;
        this.where = where;
        this.outcome = outcome;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof SslHandshakeCompletionEvent done) || state != State.HANDSHAKE) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (!done.isSuccess()) {
            next(FetchFailure.TLS_ERROR, "TLS handshake failed: " + FutureFailures.rootMessage(done.cause()));
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        TlsDetails tls = setup.tls().inspect(ssl.engine().getSession(), host);
        if (tls.verdict() instanceof CertificateVerdict.NotVerified(var problem, String detail)) {
            next(FetchFailure.TLS_ERROR, problem.resultType() + ": " + detail);
            return;
        }
        state = State.AWAITING_RESPONSE;
        ctx.writeAndFlush(request()).addListener(f -> {
            if (!f.isSuccess()) {
                next(FetchFailure.CONNECT_ERROR, "sending the request failed: " + FutureFailures.rootMessage(f.cause()));
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (outcome.isDone()) {
            return;
        }
        if (msg.decoderResult().isFailure()) {
            Throwable cause = msg.decoderResult().cause();
            if (cause instanceof PrematureChannelClosureException) {
                fail(FetchFailure.CONNECT_ERROR, "connection closed after " + body.size() + " bytes of the body");
            } else {
                fail(FetchFailure.HTTP_STATUS, "malformed HTTP response: " + FutureFailures.rootMessage(cause));
            }
            return;
        }
        if (msg instanceof HttpResponse response && !head(response)) {
            return;
        }
        if (msg instanceof HttpContent content) {
            int size = content.content().readableBytes();
            if (body.size() + size > setup.maxBodyBytes()) {
                fail(FetchFailure.TOO_LARGE, "the body is over the " + setup.maxBodyBytes() + "-byte limit");
                return;
            }
            body.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(content.content()));
            if (msg instanceof LastHttpContent) {
                outcome.complete(new Outcome.Final(new FetchResult.Fetched(body.toString(StandardCharsets.UTF_8))));
            }
        }
    }

    /** Judges the status line and headers; false when that already decided the outcome. */
    private boolean head(HttpResponse response) {
        state = State.READING_BODY;
        HttpResponseStatus status = response.status();
        if (status.codeClass() == HttpStatusClass.REDIRECTION) {
            String location = response.headers().get(HttpHeaderNames.LOCATION);
            fail(FetchFailure.REDIRECT, (location == null ? "redirect without a Location" : "redirect to " + location)
                    + " not followed (HTTP " + status.code() + ")");
            return false;
        }
        if (status.code() != HttpResponseStatus.OK.code()) {
            fail(FetchFailure.HTTP_STATUS, "HTTP status " + status.code() + " " + status.reasonPhrase());
            return false;
        }
        long declared = HttpUtil.getContentLength(response, -1L);
        if (declared > setup.maxBodyBytes()) {
            fail(FetchFailure.TOO_LARGE, "Content-Length " + declared + " is over the " + setup.maxBodyBytes()
                    + "-byte limit");
            return false;
        }
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (!isTextPlain(type)) {
            // RFC 8461 section 3.3: anyone able to host a file under a path of the policy host must not
            // be able to publish a policy; a server that labels it text/plain meant to
            String served = type == null ? "no Content-Type" : "Content-Type " + Texts.quote(type);
            log.warn("{} serves its MTA-STS policy with {}, not text/plain; the policy is not used", where, served);
            fail(FetchFailure.WRONG_MEDIA_TYPE, "served with " + served + ", not text/plain");
            return false;
        }
        return true;
    }

    /** {@code text/plain} in any case, with or without parameters such as {@code charset=utf-8}. */
    static boolean isTextPlain(String contentType) {
        if (contentType == null) {
            return false;
        }
        CharSequence mime = HttpUtil.getMimeType(contentType);
        return mime != null && mime.toString().strip().toLowerCase(Locale.ROOT).equals("text/plain");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        switch (state) {
            case HANDSHAKE -> next(FetchFailure.TLS_ERROR, "connection closed during the TLS handshake");
            case AWAITING_RESPONSE -> next(FetchFailure.CONNECT_ERROR, "connection closed before a response");
            case READING_BODY -> fail(FetchFailure.CONNECT_ERROR, "connection closed after " + body.size()
                    + " bytes of the body");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        switch (state) {
            case HANDSHAKE -> next(FetchFailure.TLS_ERROR, "TLS handshake failed: " + FutureFailures.rootMessage(cause));
            case AWAITING_RESPONSE -> next(FetchFailure.CONNECT_ERROR, "connection failed: " + FutureFailures.rootMessage(cause));
            case READING_BODY -> fail(FetchFailure.CONNECT_ERROR, "connection failed: " + FutureFailures.rootMessage(cause));
        }
        ctx.close();
    }

    private FullHttpRequest request() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, PolicyFetcher.PATH,
                Unpooled.EMPTY_BUFFER);
        int port = setup.port();
        request.headers()
                .set(HttpHeaderNames.HOST, port == 443 ? host : host + ":" + port)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, setup.userAgent());
        return request;
    }

    /** A failure that lets the fetch try the next address. */
    private void next(FetchFailure kind, String detail) {
        outcome.complete(new Outcome.Next(kind, where + ": " + detail));
    }

    /** A final failure: this server answered, and its answer is no policy. */
    private void fail(FetchFailure kind, String detail) {
        outcome.complete(new Outcome.Final(new FetchResult.Failed(kind, where + ": " + detail)));
    }

}
