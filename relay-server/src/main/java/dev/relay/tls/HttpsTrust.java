package dev.relay.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK {@link SSLContext} for HTTPS clients that check certificates the standard way (chain to
 * a trusted root, host name by the HTTP client): the JVM's roots plus
 * {@code delivery.tls.extra-trust}, the same roots outbound SMTP trusts.
 */
public final class HttpsTrust {

    private HttpsTrust() {}

    public static SSLContext withExtraRoots(List<X509Certificate> extraRoots) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> roots = new ArrayList<>(SystemRoots.read());
            roots.addAll(extraRoots);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the HTTPS trust store", e);
        }
    }
}
