package dev.relay.smtp.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for relay.test and 127.0.0.1 (minted once per JVM with BouncyCastle),
 * the server context built from it, and a client context that trusts exactly that certificate.
 */
final class TestTls {
    private TestTls() {}

    private static final class Holder {
        static final KeyPair KEYS;
        static final X509Certificate CERTIFICATE;
        static final SslContext SERVER;

        static {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(256);
                KEYS = generator.generateKeyPair();
                X500Name name = new X500Name("CN=relay.test");
                Instant now = Instant.now();
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                        Date.from(now.plus(Duration.ofDays(30))), name, KEYS.getPublic());
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "relay.test"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
                CERTIFICATE = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEYS.getPrivate())));
                SERVER = SslContextBuilder.forServer(KEYS.getPrivate(), CERTIFICATE).build();
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    static SslContext serverContext() {
        return Holder.SERVER;
    }

    /** The same certificate on a chosen TLS implementation (they differ in how they end a session). */
    static SslContext serverContext(SslProvider provider) {
        try {
            return SslContextBuilder.forServer(Holder.KEYS.getPrivate(), Holder.CERTIFICATE).sslProvider(provider).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client that trusts the test certificate and nothing else. */
    static SSLContext trustingClient() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("relay-test", Holder.CERTIFICATE);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
