package dev.relay.tlsrpt.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.relay.tls.testkit.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS collector of TLS reports for tests: the JDK's {@code HttpsServer} on 127.0.0.1 and a
 * random port, with a certificate for {@code 127.0.0.1} from the given CA. Records every POST
 * (path, content type, body) and answers each path with the statuses queued for it, then 200.
 */
public final class TestCollector implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, String contentType, byte[] body) {
        /** The body gunzip'd, as text. */
        public String gunzipped() {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpsServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> statuses = new ConcurrentHashMap<>();

    private TestCollector(HttpsServer server) {
        this.server = server;
    }

    public static TestCollector start(TestCertificates.Authority ca) {
        try {
            TestCertificates.Issued issued = ca.issue("127.0.0.1");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", issued.key(), new char[0],
                    issued.fullChain().toArray(new java.security.cert.Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            TestCollector collector = new TestCollector(server);
            server.createContext("/", collector::handle);
            server.start();
            return collector;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code https://127.0.0.1:<port><path>}. */
    public String uri(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to {@code path} get these statuses, in order; then 200 again. */
    public TestCollector answer(String path, Integer... codes) {
        statuses.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(codes));
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(exchange.getRequestMethod(), path,
                String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")), body));
        Deque<Integer> queued = statuses.get(path);
        Integer status;
        synchronized (this) {
            status = queued == null ? null : queued.poll();
        }
        exchange.sendResponseHeaders(status == null ? 200 : status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
