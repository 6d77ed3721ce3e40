package dev.relay.tls.testkit;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A test server's key manager that presents, per handshake, the certificate registered for the
 * name the client asked for by SNI, else a fallback. The test peers (MX, policy server) use it to
 * serve several host names from one port, as hosting does. Lookups happen per handshake, so a
 * test may swap a host's certificate between connections.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    /** What the server presents: a key and its chain, the leaf first. */
    public record Presented(PrivateKey key, List<X509Certificate> chain) {
        public Presented {
            chain = List.copyOf(chain);
        }

        /** The issued certificate, with its issuers or without them (a misconfigured server). */
        public static Presented of(TestCertificates.Issued issued, boolean withIssuers) {
            List<X509Certificate> chain = new java.util.ArrayList<>();
            chain.add(issued.certificate());
            chain.addAll(withIssuers ? issued.issuers() : List.of());
            return new Presented(issued.key(), chain);
        }
    }

    private static final String FALLBACK = "fallback";
    private static final String BY_NAME = "sni:";

    private final Function<String, Optional<Presented>> byName;
    private final Supplier<Optional<Presented>> fallback;

    /**
     * @param byName the certificate for a lower-case SNI host name, if the server has one
     * @param fallback the certificate for a handshake without SNI or with an unknown name, if any
     */
    public SniKeyManager(Function<String, Optional<Presented>> byName, Supplier<Optional<Presented>> fallback) {
        this.byName = byName;
        this.fallback = fallback;
    }

    /** A server context that presents certificates this way. */
    public static SSLContext serverContext(Function<String, Optional<Presented>> byName,
            Supplier<Optional<Presented>> fallback) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new SniKeyManager(byName, fallback)}, null, null);
        return context;
    }

    /** The host name the client asked for by SNI, as sent. */
    public static Optional<String> requestedName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof SSLSocket ssl ? choose(keyType, ssl.getHandshakeSession()) : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine.getHandshakeSession());
    }

    private String choose(String keyType, SSLSession handshake) {
        Optional<String> name = requestedName(handshake).map(n -> n.toLowerCase(Locale.ROOT))
                .filter(n -> byName.apply(n).isPresent());
        String alias = name.map(n -> BY_NAME + n).orElse(FALLBACK);
        return presented(alias).filter(p -> fits(p.key(), keyType)).map(p -> alias).orElse(null);
    }

    private static boolean fits(PrivateKey key, String keyType) {
        String algorithm = key.getAlgorithm();
        return algorithm.equalsIgnoreCase(keyType) || (keyType.equals("EC") && algorithm.equals("ECDSA"));
    }

    private Optional<Presented> presented(String alias) {
        return alias.startsWith(BY_NAME) ? byName.apply(alias.substring(BY_NAME.length())) : fallback.get();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return presented(alias).map(p -> p.chain().toArray(X509Certificate[]::new)).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return presented(alias).map(Presented::key).orElse(null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fallback.get().filter(p -> fits(p.key(), keyType)).map(p -> new String[] {FALLBACK}).orElse(null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // a server only
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null; // a server only
    }
}
