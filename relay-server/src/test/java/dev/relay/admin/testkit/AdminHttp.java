package dev.relay.admin.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A small HTTP client for tests of the admin server (and of routes built on it): plain requests
 * to a loopback address, the answer as status, headers and text.
 */
public final class AdminHttp {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final InetSocketAddress address;
    private Optional<String> token = Optional.empty();

    public AdminHttp(InetSocketAddress address) {
        this.address = address;
    }

    /** Sends {@code Authorization: Bearer token} from now on. */
    public AdminHttp token(String token) {
        this.token = Optional.of(token);
        return this;
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    public HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).method(method, body);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
    }
}
