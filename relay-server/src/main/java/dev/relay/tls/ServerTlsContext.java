package dev.relay.tls;

import dev.relay.settings.ConfigException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's own TLS identity for inbound SMTP (STARTTLS and implicit TLS), from
 * {@code tls.certificate} (PEM chain, the server's certificate first) and {@code tls.key}.
 * TLS 1.2 and 1.3 only. OpenSSL (BoringSSL via netty-tcnative) when it loads, else the JDK.
 */
public final class ServerTlsContext {

    /** The protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Logger LOG = LoggerFactory.getLogger(ServerTlsContext.class);

    private ServerTlsContext() {}

    /** OpenSSL when netty-tcnative loads on this machine, otherwise the JDK's TLS. */
    public static SslProvider preferredProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * Builds the server context with the preferred provider.
     *
     * @throws ConfigException naming {@code tls.certificate} or {@code tls.key} and the file
     */
    public static SslContext load(TlsFiles files) {
        return load(files, preferredProvider(), Clock.systemUTC());
    }

    /** As {@link #load(TlsFiles)}, with a chosen provider and the clock for the expiry warning. */
    public static SslContext load(TlsFiles files, SslProvider provider, Clock clock) {
        List<X509Certificate> chain = Pem.readCertificates(files.certificate(), "tls.certificate");
        PrivateKey key = Pem.readPrivateKey(files.key(), "tls.key");
        checkKeyMatches(files, chain, key);
        warnIfNotValidNow(files, chain.getFirst(), clock);
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("tls.certificate", files.certificate() + ": cannot be used for TLS: " + e.getMessage(), e);
        }
    }

    /** When the relay's own certificate (the first in {@code tls.certificate}) expires: for the expiry metric. */
    public static Instant expiry(TlsFiles files) {
        return Pem.readCertificates(files.certificate(), "tls.certificate").getFirst().getNotAfter().toInstant();
    }

    private static void checkKeyMatches(TlsFiles files, List<X509Certificate> chain, PrivateKey key) {
        if (KeyMatch.matches(key, chain.getFirst().getPublicKey())) {
            return;
        }
        for (int i = 1; i < chain.size(); i++) {
            if (KeyMatch.matches(key, chain.get(i).getPublicKey())) {
                throw new ConfigException("tls.key", files.key() + ": matches certificate " + (i + 1) + " in "
                        + files.certificate() + ", but the server's own certificate must come first in tls.certificate");
            }
        }
        throw new ConfigException("tls.key", files.key() + ": does not match the certificate in tls.certificate ("
                + files.certificate() + ")");
    }

    private static void warnIfNotValidNow(TlsFiles files, X509Certificate leaf, Clock clock) {
        // not an error: most SMTP clients do not check, and an expired certificate beats no STARTTLS
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            LOG.warn("tls.certificate: {}: expired on {}", files.certificate(), leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            LOG.warn("tls.certificate: {}: not valid before {}", files.certificate(), leaf.getNotBefore().toInstant());
        }
    }
}
