package dev.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.settings.ConfigException;
import dev.relay.settings.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin server over real loopback sockets: routing, token, health, limits, startup refusals. */
class AdminServerTest {

    private static final HostPort ANY_LOOPBACK_PORT = new HostPort("127.0.0.1", 0);

    private AdminServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private static AdminRoute echo(String name) {
        return request -> AdminResponse.text(200, name + " " + request.method() + " " + request.path());
    }

    @Test
    void aTokenGuardsEveryRouteButHealth() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT).token(Optional.of("s3cret"))
                .route("GET", "/metrics", false, echo("metrics")).start();
        AdminHttp anonymous = new AdminHttp(server.address());

        HttpResponse<String> refused = anonymous.get("/metrics");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"relay-admin\"");
        assertThat(refused.body()).doesNotContain("s3cret");
        assertThat(new AdminHttp(server.address()).token("s3cret-not").get("/metrics").statusCode()).isEqualTo(401);
        assertThat(new AdminHttp(server.address()).token("s3cre").get("/metrics").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/metrics", "Authorization", "Basic czNjcmV0").statusCode()).isEqualTo(401);

        HttpResponse<String> allowed = new AdminHttp(server.address()).token("s3cret").get("/metrics");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("metrics GET /metrics");
        assertThat(anonymous.get("/metrics", "Authorization", "bearer s3cret").statusCode())
                .as("the scheme name is case-insensitive").isEqualTo(200);

        assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenEveryRouteIsOpenOnLoopback() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT).route("GET", "/metrics", false, echo("metrics")).start();
        HttpResponse<String> response = new AdminHttp(server.address()).get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(AdminResponse.TEXT);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void routesMatchByMethodAndLongestWholeSegmentPrefix() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT)
                .route("GET", "/queue", false, echo("list"))
                .route("POST", "/queue/retry", false, echo("retry"))
                .route("GET", "/", false, echo("root"))
                .start();
        AdminHttp http = new AdminHttp(server.address());

        assertThat(http.get("/queue").body()).isEqualTo("list GET /queue");
        assertThat(http.get("/queue/ABC").body()).isEqualTo("list GET /queue/ABC");
        assertThat(http.post("/queue/retry/ABC", "").body()).isEqualTo("retry POST /queue/retry/ABC");
        assertThat(http.get("/queues").body()).as("not a whole segment: falls to /").isEqualTo("root GET /queues");
        assertThat(http.get("/").body()).isEqualTo("root GET /");
        assertThat(http.post("/queue", "").statusCode()).as("only GET serves /queue").isEqualTo(405);
        assertThat(http.send("DELETE", "/queue/retry/ABC", HttpRequest.BodyPublishers.noBody()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT).route("GET", "/queue", false, echo("list")).start();
        assertThat(new AdminHttp(server.address()).get("/nothing/here").statusCode()).isEqualTo(404);
    }

    @Test
    void requestsCarryTheDecodedQueryHeadersAndBody() throws Exception {
        AtomicReference<AdminRequest> seen = new AtomicReference<>();
        server = AdminServer.builder(ANY_LOOPBACK_PORT).token(Optional.of("t0ken"))
                .route("POST", "/queue/hold", false, request -> {
                    seen.set(request);
                    return AdminResponse.json(202, "{\"held\":1}");
                }).start();
        HttpResponse<String> response = new AdminHttp(server.address()).token("t0ken")
                .post("/queue/hold?id=A%20B&all=true&id=C", "{\"why\":\"test\"}", "Accept", "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).contains(AdminResponse.JSON);
        assertThat(response.body()).isEqualTo("{\"held\":1}");
        AdminRequest request = seen.get();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/queue/hold");
        assertThat(request.query().get("id")).containsExactly("A B", "C");
        assertThat(request.queryParam("all")).contains("true");
        assertThat(request.queryParam("none")).isEmpty();
        assertThat(request.bearerToken()).contains("t0ken");
        assertThat(request.bodyText()).isEqualTo("{\"why\":\"test\"}");
        assertThat(request.header("ACCEPT")).contains("application/json");
        assertThat(request.headers()).as("the token stays out of the headers").doesNotContainKey("authorization");
    }

    @Test
    void routesRunOffTheEventLoop() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT)
                .route("GET", "/thread", false, request -> AdminResponse.text(200, Thread.currentThread().getName()))
                .start();
        assertThat(new AdminHttp(server.address()).get("/thread").body()).startsWith("admin-worker");
    }

    @Test
    void aFailingRouteIs500WithoutDetailsAndTheServerGoesOn() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT)
                .route("GET", "/boom", false, request -> {
                    throw new IllegalStateException("secret internals");
                })
                .start();
        AdminHttp http = new AdminHttp(server.address());
        HttpResponse<String> failed = http.get("/boom");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("secret internals");
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void readinessFollowsTheSupplier() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        server = AdminServer.builder(ANY_LOOPBACK_PORT).readiness(ready::get).start();
        AdminHttp http = new AdminHttp(server.address());

        assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        ready.set(true);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
        ready.set(false);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void headIsAnsweredByTheGetRouteWithoutABody() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT).start();
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("HEAD /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 5\r\n").endsWith("\r\n\r\n");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT)
                .route("GET", "/slow", false, request -> {
                    Thread.sleep(200); // slow on purpose: the quick second answer must still come second
                    return AdminResponse.text(200, "slow");
                })
                .start();
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer.indexOf("slow")).isPositive().isLessThan(answer.indexOf("live"));
        }
    }

    @Test
    void anOversizeBodyIs413() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT).route("POST", "/queue", false, echo("queue")).start();
        HttpResponse<String> response = new AdminHttp(server.address())
                .post("/queue", "x".repeat(AdminServer.MAX_BODY + 1));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefusedBeforeBinding() {
        for (String host : new String[] {"0.0.0.0", "192.0.2.1", "::"}) {
            assertThatThrownBy(() -> AdminServer.builder(new HostPort(host, 0)).start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("admin.address: ")
                    .hasMessageContaining("not a loopback address and admin.token is not set")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HostPort address = new HostPort("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(() -> AdminServer.builder(address).start())
                    .isInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void twoRoutesForTheSameMethodAndPrefixAreRefused() {
        assertThatThrownBy(() -> AdminServer.builder(ANY_LOOPBACK_PORT)
                .route("GET", "/health/live", false, echo("mine")).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /health/live");
        assertThatThrownBy(() -> AdminServer.builder(ANY_LOOPBACK_PORT).route("GET", "queue", false, echo("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeStopsListening() throws Exception {
        server = AdminServer.builder(ANY_LOOPBACK_PORT).start();
        var address = server.address();
        server.close();
        server.close();
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close()).isInstanceOf(IOException.class);
    }
}
