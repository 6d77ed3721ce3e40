package dev.relay.tlsrpt;

import dev.relay.text.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * POSTs reports to {@code https:} destinations (RFC 8460 section 5.4): body the gzip'd JSON,
 * {@code Content-Type: application/tlsrpt+gzip}, the server's certificate checked against the
 * trusted roots and the URI's host name, redirects not followed (a 3xx is a failure: the record
 * names where reports go), bounded connect and response times.
 */
public final class HttpsCollector implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration responseTimeout;

    /** @param tls the trusted roots (the system's and {@code delivery.tls.extra-trust}) */
    public HttpsCollector(SSLContext tls, Executor executor) {
        this(tls, executor, CONNECT_TIMEOUT, RESPONSE_TIMEOUT);
    }

    /** With other time limits (tests). */
    public HttpsCollector(SSLContext tls, Executor executor, Duration connectTimeout, Duration responseTimeout) {
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    /** How one POST ended. */
    public sealed interface Result {
        record Accepted(int status) implements Result {}

        /** @param reason for the log and {@code tls-rpt show}, in an admin's words */
        record Failed(String reason) implements Result {}
    }

    /** Never completes exceptionally. */
    public CompletableFuture<Result> post(URI uri, byte[] gzip) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(responseTimeout)
                .header("Content-Type", TlsReportJson.MEDIA_TYPE_GZIP)
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                return new Result.Failed(describe(error));
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Result.Accepted(status);
            }
            if (status >= 300 && status < 400) {
                return new Result.Failed("HTTP " + status + ": redirected to "
                        + response.headers().firstValue("Location").orElse("nowhere") + " (not followed)");
            }
            return new Result.Failed("HTTP " + status);
        });
    }

    private String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return switch (cause) {
            // the request's limit also ends a TLS handshake that hangs: reported as a connect timeout
            case HttpConnectTimeoutException t -> "timed out connecting (TCP within " + Durations.format(connectTimeout)
                    + ", all within " + Durations.format(responseTimeout) + ")";
            case HttpTimeoutException t -> "timed out: no answer within " + Durations.format(responseTimeout);
            case SSLException t -> "TLS failed: " + message(t);
            case IOException t -> "connection failed: " + message(t);
            default -> "failed: " + message(cause);
        };
    }

    @SuppressWarnings("ReferenceEquality") // a cause that is the exception itself ends the walk: identity is meant
    private static String message(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? "no detail" : root.getMessage();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
