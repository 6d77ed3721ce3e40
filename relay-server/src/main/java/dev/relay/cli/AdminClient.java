package dev.relay.cli;

import dev.relay.settings.HostPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The command line's side of the admin API: one HTTP/1.1 request per call to the address it
 * was given (never resolved through DNS: it is the operator's own relay), bearer token attached.
 * Failing to reach the relay, or a refused token, is a {@link UserError}: the fix is in the
 * caller's setup, and it gets one line rather than a stack trace.
 */
final class AdminClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HostPort address;
    private final Optional<String> token;
    private final HttpClient http;

    AdminClient(HostPort address, Optional<String> token) {
        this.address = address;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /** A reply from the admin server: status and body text (JSON). */
    record Reply(int status, String body) {}

    Reply get(String path) {
        return send("GET", path);
    }

    Reply post(String path) {
        return send("POST", path);
    }

    Reply delete(String path) {
        return send("DELETE", path);
    }

    private Reply send(String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        // who is at the keyboard, for the relay's log lines about changes (suspensions, reloads)
        Optional.ofNullable(System.getProperty("user.name")).filter(name -> !name.isBlank())
                .ifPresent(name -> request.header("X-Relay-Operator", name));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no answer within " + CONNECT_TIMEOUT.toSeconds() + "s", e);
        } catch (HttpTimeoutException e) {
            throw unreachable("no reply within " + REQUEST_TIMEOUT.toSeconds() + "s", e);
        } catch (ConnectException e) {
            throw unreachable("connection refused", e);
        } catch (IOException e) {
            throw unreachable(Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted", e);
        }
        if (response.statusCode() == 401) {
            throw new UserError("the relay's admin server at " + address + " refused the request: "
                    + (token.isPresent() ? "wrong admin token" : "it needs admin.token (--token or $"
                    + AdminTarget.TOKEN_VARIABLE + ")"));
        }
        return new Reply(response.statusCode(), response.body());
    }

    private UserError unreachable(String why, Exception cause) {
        return new UserError("cannot reach the relay's admin server at " + address + ": " + why, cause);
    }
}
