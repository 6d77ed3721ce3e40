package dev.relay.tls;

import dev.relay.text.DomainForm;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS for outbound SMTP: one shared client context (so the TLS session cache, keyed by MX
 * host and port, lets later connections resume), TLS 1.2 and 1.3 only, SNI set to the MX
 * host name, OpenSSL (BoringSSL via netty-tcnative) where it loads, else the JDK.
 *
 * <p>The handshake accepts any certificate; {@link #inspect} then verifies the chain and the
 * host name with {@link CertificateVerifier}, for both providers alike. The SMTP client calls
 * it before it sends anything over the new session and gives the connection up when the
 * requirement asks for a verified certificate and the verdict is negative.
 */
public final class ClientTlsContext {

    private final SslContext context;
    private final SslProvider provider;
    private final CertificateVerifier verifier;
    private final Clock clock;

    private ClientTlsContext(SslContext context, SslProvider provider, CertificateVerifier verifier, Clock clock) {
        this.context = context;
        this.provider = provider;
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * The system's roots plus {@code delivery.tls.extra-trust}, the preferred provider.
     *
     * @throws dev.relay.settings.ConfigException naming {@code delivery.tls.extra-trust} when the file is unusable
     */
    public static ClientTlsContext fromConfig(OutboundTls config, Clock clock) {
        List<X509Certificate> extra = config.extraTrust()
                .map(file -> Pem.readCertificates(file, "delivery.tls.extra-trust"))
                .orElse(List.of());
        return builder().extraTrust(extra).clock(clock).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SslProvider provider() {
        return provider;
    }

    public CertificateVerifier verifier() {
        return verifier;
    }

    /**
     * A client-side handler for one connection to {@code host}; the host and port key the TLS
     * session cache, and the host is sent as SNI (unless it is an IP literal).
     */
    public SslHandler newHandler(ByteBufAllocator allocator, String host, int port, Duration handshakeTimeout) {
        String name = sniName(host);
        SslHandler handler = context.newHandler(allocator, name, port);
        SSLEngine engine = handler.engine();
        if (isSniCapable(name)) {
            // set explicitly: the providers differ in when they derive SNI from the peer host
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(name)));
            engine.setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        return handler;
    }

    /** What the finished handshake negotiated and the relay's verdict on the certificate for {@code host}. */
    public TlsDetails inspect(SSLSession session, String host) {
        return inspect(session, host, Optional.empty());
    }

    /**
     * What the finished handshake negotiated and the verdict on the certificate: by {@code check}
     * when the caller names one (e.g. DANE), else by the Web PKI for {@code host}.
     */
    public TlsDetails inspect(SSLSession session, String host, Optional<CertificateCheck> check) {
        List<X509Certificate> chain = peerChain(session);
        CertificateVerdict verdict = check.isPresent()
                ? check.get().verify(chain, clock.instant())
                : verifier.verify(chain, sniName(host));
        Optional<X509Certificate> leaf = chain.stream().findFirst();
        return new TlsDetails(
                session.getProtocol(),
                session.getCipherSuite(),
                leaf.map(c -> c.getSubjectX500Principal().getName()),
                leaf.map(c -> c.getIssuerX500Principal().getName()),
                leaf.map(c -> c.getNotAfter().toInstant()),
                verdict);
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        Certificate[] certificates;
        try {
            certificates = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
        List<X509Certificate> chain = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate x509) {
                chain.add(x509);
            }
        }
        return chain;
    }

    private static String sniName(String host) {
        return DomainForm.canonical(host);
    }

    private static boolean isSniCapable(String name) {
        if (name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return false; // RFC 6066: no IP literals in SNI
        }
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Options; the defaults suit production. */
    public static final class Builder {
        private SslProvider provider = ServerTlsContext.preferredProvider();
        private boolean systemRoots = true;
        private List<X509Certificate> extraTrust = List.of();
        private Clock clock = Clock.systemUTC();
        private int sessionCacheSize = 4096;
        private Duration sessionTimeout = Duration.ofMinutes(10);

        private Builder() {}

        public Builder provider(SslProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Whether the JVM's default roots are trusted (tests turn them off). */
        public Builder systemRoots(boolean trust) {
            this.systemRoots = trust;
            return this;
        }

        public Builder extraTrust(List<X509Certificate> roots) {
            this.extraTrust = List.copyOf(roots);
            return this;
        }

        /** The time certificates are checked against. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sessionCache(int size, Duration timeout) {
            if (size < 0 || timeout.isNegative()) {
                throw new IllegalArgumentException("session cache size and timeout must not be negative");
            }
            this.sessionCacheSize = size;
            this.sessionTimeout = timeout;
            return this;
        }

        public ClientTlsContext build() {
            CertificateVerifier verifier = CertificateVerifier.create(systemRoots, extraTrust, clock);
            try {
                SslContext context = SslContextBuilder.forClient()
                        .sslProvider(provider)
                        .protocols(ServerTlsContext.PROTOCOLS)
                        .trustManager(AcceptAnyCertificate.INSTANCE)
                        .endpointIdentificationAlgorithm(null)
                        .sessionCacheSize(sessionCacheSize)
                        .sessionTimeout(sessionTimeout.toSeconds())
                        .build();
                return new ClientTlsContext(context, provider, verifier, clock);
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the outbound TLS context with " + provider, e);
            }
        }
    }
}
