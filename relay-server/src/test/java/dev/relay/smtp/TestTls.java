package dev.relay.smtp;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A self-signed server certificate (made once per JVM) and a client that trusts it. */
final class TestTls {
    private TestTls() {}

    private static final class Holder {
        static final SslContext SERVER = buildServer();

        private static SslContext buildServer() {
            try {
                SelfSignedCertificate certificate = new SelfSignedCertificate("relay.test");
                return SslContextBuilder.forServer(certificate.key(), certificate.cert()).build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the test certificate", e);
            }
        }
    }

    static SslContext serverContext() {
        return Holder.SERVER;
    }

    /** Trusts any server certificate: only for talking to our own test listener. */
    static SSLContext trustingClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
