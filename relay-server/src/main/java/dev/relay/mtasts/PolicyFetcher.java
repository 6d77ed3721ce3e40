package dev.relay.mtasts;

import dev.relay.dns.DnsResolver;
import dev.relay.network.Transport;
import dev.relay.tls.ClientTlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} as RFC 8461 section 3.3 asks:
 * the host resolved with the relay's own {@link DnsResolver} (never the JVM's resolver), each
 * address tried in order on the configured port ({@code mta-sts.https-port}), TLS 1.2+ with SNI
 * and a certificate verified for the policy host against the system roots plus
 * {@code delivery.tls.extra-trust} ({@link ClientTlsContext}), no redirects followed, only 200
 * accepted, the body capped (64 KB), and one deadline for the whole fetch. No HTTP cache is
 * used: every call is a new request.
 *
 * <p>Which failures move on to the next address: refused or failed connections and TLS
 * failures (another address may be served by a correctly configured front end). Once a server
 * has sent an HTTP status line its answer is final. When every address fails, the result names
 * the kind that got furthest (a TLS error beats a refused connection) and lists each address.
 *
 * <p>Content-Type: the policy must be served as {@code text/plain} (parameters such as a charset
 * are fine). A different or missing media type is a failed fetch ({@link
 * FetchFailure#WRONG_MEDIA_TYPE}), as RFC 8461 section 3.3 asks: it guards against web servers
 * where users can host their own files under a path. A failed fetch keeps any cached policy.
 *
 * <p>Runs on the event loop group it is given (it creates no threads). Result stages complete
 * on those event loops or on DNS threads: never block in dependent stages. Thread-safe.
 *
 * <pre>{@code
 * PolicyFetcher fetcher = PolicyFetcher.builder(dns, clientTls, group).port(config.mtaSts().httpsPort()).build();
 * fetcher.fetch("example.com").thenAccept(result -> switch (result) { ... });
 * }</pre>
 */
public final class PolicyFetcher {

    /** Where the policy lives on the policy host. */
    public static final String PATH = "/.well-known/mta-sts.txt";

    /** RFC 8461 section 3.3 suggests a 64 KB limit on the policy body. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private final Setup setup;

    /**
     * What one fetch works with: the collaborators and the settings, as the builder gave them.
     *
     * @param bootstrap a TCP client bootstrap on {@code group}, cloned for each connection
     */
    record Setup(DnsResolver dns, ClientTlsContext tls, EventLoopGroup group, Bootstrap bootstrap, int port,
            Duration connectTimeout, Duration totalTimeout, int maxBodyBytes, String userAgent) {}

    private PolicyFetcher(Builder b) {
        Bootstrap bootstrap = new Bootstrap()
                .group(b.group)
                .channel(channelType(b.group))
                .option(ChannelOption.TCP_NODELAY, true);
        this.setup = new Setup(b.dns, b.tls, b.group, bootstrap, b.port, b.connectTimeout, b.totalTimeout,
                b.maxBodyBytes, b.userAgent);
    }

    /**
     * @param dns resolves {@code mta-sts.<domain>}
     * @param tls the outbound TLS context (its verifier decides about the certificate)
     * @param group event loops to run on, shared with the rest of the relay
     */
    public static Builder builder(DnsResolver dns, ClientTlsContext tls, EventLoopGroup group) {
        return new Builder(dns, tls, group);
    }

    /** The HTTPS port asked. */
    public int port() {
        return setup.port();
    }

    /**
     * Fetches the policy of a domain (the policy domain itself, e.g. {@code example.com}; case
     * and a trailing dot do not matter). The stage never completes exceptionally.
     */
    public CompletionStage<FetchResult> fetch(String domain) {
        Objects.requireNonNull(domain, "domain");
        String host = PolicyDomains.policyHost(PolicyDomains.normalize(domain));
        return new PolicyFetch(setup, host).start();
    }

    /** The socket type that fits the group's I/O: epoll groups need epoll channels, and so on. */
    private static Class<? extends Channel> channelType(EventLoopGroup group) {
        return Transport.of(group).socketChannelType();
    }

    @Override
    public String toString() {
        return "PolicyFetcher[port " + setup.port() + "]";
    }

    /** Settings; all but the collaborators have defaults fit for production. */
    public static final class Builder {
        private final DnsResolver dns;
        private final ClientTlsContext tls;
        private final EventLoopGroup group;
        private int port = 443;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration totalTimeout = Duration.ofSeconds(30);
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private String userAgent = "relay-mta-sts/1 (RFC 8461 policy fetcher)";

        private Builder(DnsResolver dns, ClientTlsContext tls, EventLoopGroup group) {
            this.dns = Objects.requireNonNull(dns, "dns");
            this.tls = Objects.requireNonNull(tls, "tls");
            this.group = Objects.requireNonNull(group, "group");
        }

        /** The HTTPS port ({@code mta-sts.https-port}); default 443. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** How long one address may take to accept the connection; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.requirePositive(timeout);
            return this;
        }

        /** How long the whole fetch (DNS, every address, TLS, response) may take; default 30 s. */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = Checks.requirePositive(timeout);
            return this;
        }

        /** The body size limit in bytes; default 64 KB. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("body limit must be positive: " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder userAgent(String userAgent) {
            if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < ' ' || c > '~')) {
                throw new IllegalArgumentException("User-Agent must be printable ASCII: " + userAgent);
            }
            this.userAgent = userAgent;
            return this;
        }

        public PolicyFetcher build() {
            return new PolicyFetcher(this);
        }
    }
}
