package dev.relay.mtasts.testkit;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.relay.tls.testkit.SniKeyManager;
import dev.relay.tls.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server for MTA-STS policies in tests: the JDK's {@code HttpsServer} on 127.0.0.1
 * and a random port, serving any number of policy hosts on that one port. The relay has a
 * single {@code mta-sts.https-port}, so the certificate is chosen per connection by SNI and
 * the response per request by the {@code Host} header (port stripped). Point each
 * {@code mta-sts.<domain>} at 127.0.0.1 in a {@code TestDnsServer} and set the relay's
 * {@code mta-sts.https-port} to {@link #port()}.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.newAuthority("Test CA");
 * try (TestPolicyServer policies = TestPolicyServer.start(ca)) {
 *     policies.domain("example.test").policy("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n");
 *     policies.domain("moved.test").respond(Response.redirect("https://elsewhere.test/"));
 *     policies.domain("big.test").respond(Response.oversized(100_000));
 *     policies.domain("selfsigned.test").certificate(TestCertificates.selfSigned("mta-sts.selfsigned.test").issue());
 *     policies.domain("slow.test").respond(Response.stall());           // never answers
 *     dns.a("mta-sts.example.test", "127.0.0.1");                        // and so on
 *     ...
 *     assertThat(policies.domain("example.test").requestCount()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>A host added with {@link #domain} gets a certificate for {@code mta-sts.<domain>} from the
 * given CA and answers 404 until told otherwise. A connection whose SNI names no known host (or
 * has no SNI) gets the certificate of the first host added; a request whose {@code Host} is
 * unknown gets 421. Responses, certificates and holds can change at any time from any thread;
 * a new certificate applies to new TLS sessions (a client that resumes keeps the old one).
 * Responses for paths other than {@code /.well-known/mta-sts.txt} can be set with
 * {@link PolicyHost#respond(String, Response)}; unset paths get 404.
 */
public final class TestPolicyServer implements AutoCloseable {

    /** Where RFC 8461 puts the policy. */
    public static final String POLICY_PATH = "/.well-known/mta-sts.txt";

    /**
     * What to answer.
     *
     * @param status the HTTP status
     * @param headers response headers (e.g. Location, Content-Type); Content-Length is the server's
     * @param body the body bytes
     * @param chunkedEncoding send without Content-Length (chunked), so a client cannot know the size up front
     * @param delay wait this long before answering
     * @param stalled never answer (until the server closes or the host is {@linkplain PolicyHost#release released})
     */
    public record Response(int status, Map<String, String> headers, byte[] body, boolean chunkedEncoding, Duration delay,
            boolean stalled) {

        public Response {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        /** 200, {@code text/plain; charset=utf-8}, the text as the body. */
        public static Response policy(String text) {
            return new Response(200, Map.of("Content-Type", "text/plain; charset=utf-8"),
                    text.getBytes(StandardCharsets.UTF_8), false, Duration.ZERO, false);
        }

        /** This status with a short text body. */
        public static Response status(int status) {
            return new Response(status, Map.of("Content-Type", "text/plain"),
                    ("status " + status + "\n").getBytes(StandardCharsets.US_ASCII), false, Duration.ZERO, false);
        }

        /** 301 to the location. */
        public static Response redirect(String location) {
            return redirect(301, location);
        }

        public static Response redirect(int status, String location) {
            return status(status).withHeader("Location", location);
        }

        /**
         * 200 with a valid-looking enforce policy padded (with unknown keys) to {@code bytes} bytes,
         * Content-Length declared.
         */
        public static Response oversized(int bytes) {
            StringBuilder text = new StringBuilder("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n");
            while (text.length() < bytes) {
                text.append("x-padding: ").append("a".repeat(Math.min(200, Math.max(1, bytes - text.length() - 12))))
                        .append('\n');
            }
            text.setLength(bytes);
            return policy(text.toString());
        }

        /** Accepts the request and never answers. */
        public static Response stall() {
            return new Response(200, Map.of(), new byte[0], false, Duration.ZERO, true);
        }

        public Response withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, h, body, chunkedEncoding, delay, stalled);
        }

        /** Without any Content-Type header. */
        public Response withoutContentType() {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Type"));
            return new Response(status, h, body, chunkedEncoding, delay, stalled);
        }

        /** Sent chunked, without Content-Length. */
        public Response chunked() {
            return new Response(status, headers, body, true, delay, stalled);
        }

        public Response delayed(Duration wait) {
            return new Response(status, headers, body, chunkedEncoding, wait, stalled);
        }
    }

    /**
     * One request as received.
     *
     * @param host the Host header as sent (with port, if any)
     * @param sni the server name the TLS client asked for, if any
     */
    public record Request(String host, Optional<String> sni, String method, String path, Map<String, String> headers) {}

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final TestCertificates.Authority ca;
    private final Map<String, PolicyHost> hosts = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private TestPolicyServer(TestCertificates.Authority ca) throws IOException, GeneralSecurityException {
        this.ca = ca;
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        // a connection whose SNI names no known host gets the certificate of the first host added
        SSLContext tls = SniKeyManager.serverContext(name -> Optional.ofNullable(hosts.get(name)).map(PolicyHost::presented),
                () -> order.stream().findFirst().map(hosts::get).map(PolicyHost::presented));
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A policy file (RFC 8461 3.2) with this mode, max_age and mx lines, CRLF line ends. */
    public static String policyText(String mode, long maxAge, String... mxPatterns) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String pattern : mxPatterns) {
            text.append("mx: ").append(pattern).append("\r\n");
        }
        return text.append("max_age: ").append(maxAge).append("\r\n").toString();
    }

    /** Starts serving on a free loopback port; host certificates come from {@code ca}. */
    public static TestPolicyServer start(TestCertificates.Authority ca) {
        try {
            return new TestPolicyServer(ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test policy server TLS setup", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * The host {@code mta-sts.<domain>} (case and trailing dot ignored), added on first use
     * with a certificate from the CA and a 404 answer.
     */
    public PolicyHost domain(String domain) {
        return host("mta-sts." + normalize(domain));
    }

    /** Any host name, e.g. to serve a certificate for a host that is not {@code mta-sts.*}. */
    public PolicyHost host(String hostName) {
        String name = normalize(hostName);
        return hosts.computeIfAbsent(name, n -> {
            order.add(n);
            return new PolicyHost(n, ca.issue(n));
        });
    }

    /** Every request so far, all hosts, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    @Override
    public void close() {
        closing.countDown();
        hosts.values().forEach(PolicyHost::release);
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One policy host: its certificate, its responses, its requests. */
    public final class PolicyHost {
        private final String name;
        private volatile TestCertificates.Issued certificate;
        private final Map<String, Response> responses = new ConcurrentHashMap<>();
        private final List<Request> received = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch hold = new CountDownLatch(0);
        private volatile CountDownLatch stalls = new CountDownLatch(1);

        private PolicyHost(String name, TestCertificates.Issued certificate) {
            this.name = name;
            this.certificate = certificate;
            responses.put(POLICY_PATH, Response.status(404));
        }

        public String name() {
            return name;
        }

        /** Serves this policy text at the policy path (200, text/plain). */
        public PolicyHost policy(String text) {
            return respond(Response.policy(text));
        }

        /** The answer at the policy path. */
        public PolicyHost respond(Response response) {
            return respond(POLICY_PATH, response);
        }

        public PolicyHost respond(String path, Response response) {
            responses.put(path, response);
            return this;
        }

        /** The certificate presented for this host's SNI from now on (e.g. expired, self-signed, another name). */
        public PolicyHost certificate(TestCertificates.Issued issued) {
            this.certificate = issued;
            return this;
        }

        private SniKeyManager.Presented presented() {
            return SniKeyManager.Presented.of(certificate, false);
        }

        public TestCertificates.Issued certificate() {
            return certificate;
        }

        /**
         * Requests that arrive from now on wait (before their response) until {@link #release()}:
         * lets a test start several fetches and see that they overlap.
         */
        public PolicyHost hold() {
            hold = new CountDownLatch(1);
            return this;
        }

        /** Lets held (and stalled) requests go on: held ones are answered, stalled ones get their connection closed. */
        public PolicyHost release() {
            hold.countDown();
            CountDownLatch stalled = stalls;
            stalls = new CountDownLatch(1);
            stalled.countDown();
            return this;
        }

        /** Requests received, including those being held or stalled. */
        public List<Request> requests() {
            return List.copyOf(received);
        }

        public int requestCount() {
            return received.size();
        }

        /** Waits until this many requests have arrived (for tests that hold responses). */
        public void awaitRequests(int count, Duration timeout) {
            await("%d requests to %s".formatted(count, name)).atMost(timeout).pollInterval(Duration.ofMillis(5))
                    .until(() -> received.size() >= count);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String hostHeader = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("");
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            Request request = new Request(hostHeader, sni(exchange), exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), Map.copyOf(headers));
            requests.add(request);
            PolicyHost host = hosts.get(normalize(stripPort(hostHeader)));
            if (host == null) {
                send(exchange, Response.status(421));
                return;
            }
            host.received.add(request);
            awaitReleaseOrClose(host.hold);
            Response response = host.responses.getOrDefault(request.path(), Response.status(404));
            if (response.stalled()) {
                // the exchange is then closed without an answer, which drops the connection
                awaitReleaseOrClose(host.stalls);
                return;
            }
            if (!response.delay().isZero()) {
                closing.await(response.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            send(exchange, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReleaseOrClose(CountDownLatch release) throws InterruptedException {
        while (!release.await(20, TimeUnit.MILLISECONDS) && closing.getCount() > 0) {
            // poll both: release by the test, or the server closing
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), response.chunkedEncoding() ? 0 : (body.length == 0 ? -1 : body.length));
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Optional<String> sni(HttpExchange exchange) {
        if (exchange instanceof HttpsExchange https) {
            return SniKeyManager.requestedName(https.getSSLSession()).map(n -> n.toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    private static String stripPort(String hostHeader) {
        int colon = hostHeader.lastIndexOf(':');
        return colon > 0 && hostHeader.indexOf(']') < colon ? hostHeader.substring(0, colon) : hostHeader;
    }

    private static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

}
