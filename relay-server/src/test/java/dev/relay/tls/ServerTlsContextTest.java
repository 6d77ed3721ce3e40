package dev.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.relay.settings.ConfigException;
import dev.relay.tls.TlsFiles;
import dev.relay.tls.testkit.TestCertificates;
import dev.relay.tls.testkit.TestCertificates.Authority;
import dev.relay.tls.testkit.TestCertificates.Issued;
import dev.relay.tls.testkit.TestCertificates.KeyFormat;
import dev.relay.tls.testkit.TestCertificates.KeyType;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ServerTlsContextTest {

    private static final String HOST = "mx.relay.test";

    private static Authority ca;
    private static Issued ec;
    private static Issued rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void mint() {
        ca = TestCertificates.newAuthority("relay test CA");
        ec = ca.issue(HOST);
        rsa = ca.leaf(HOST).keyType(KeyType.RSA).issue();
    }

    static Stream<Arguments> keyFormats() {
        return Stream.of(
                Arguments.of(KeyType.EC, KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----"),
                Arguments.of(KeyType.EC, KeyFormat.TRADITIONAL, "-----BEGIN EC PRIVATE KEY-----"),
                Arguments.of(KeyType.RSA, KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----"),
                Arguments.of(KeyType.RSA, KeyFormat.TRADITIONAL, "-----BEGIN RSA PRIVATE KEY-----"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keyFormats")
    void everyKeyFormatLoadsAndServesTls(KeyType type, KeyFormat format, String header) throws Exception {
        Issued issued = type == KeyType.EC ? ec : rsa;
        TlsFiles files = issued.write(dir, "server", format);
        assertThat(Files.readString(files.key())).startsWith(header);

        SslContext context = ServerTlsContext.load(files);

        assertThat(context.isServer()).isTrue();
        assertThat(handshake(context, ca.clientContext(), HOST, null)).matches("hello TLSv1\\.[23]");
    }

    @Test
    void anEcKeyAfterAnEcParametersBlockLoads() throws IOException {
        // what `openssl ecparam -name prime256v1 -genkey` writes
        String parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        TlsFiles files = ec.write(dir, "server", KeyFormat.TRADITIONAL);
        Files.writeString(files.key(), parameters + Files.readString(files.key()));

        assertThat(Pem.readPrivateKey(files.key(), "tls.key").getAlgorithm()).isEqualTo("EC");
        assertThat(ServerTlsContext.load(files).isServer()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void bothProvidersHandshakeWithTls12AndTls13(SslProvider provider) throws Exception {
        assumeThat(provider == SslProvider.JDK || OpenSsl.isAvailable()).as("netty-tcnative loads here").isTrue();
        SslContext context = ServerTlsContext.load(ec.write(dir, "server"), provider, Clock.systemUTC());

        assertThat(handshake(context, ca.clientContext(), HOST, "TLSv1.3")).isEqualTo("hello TLSv1.3");
        assertThat(handshake(context, ca.clientContext(), HOST, "TLSv1.2")).isEqualTo("hello TLSv1.2");
    }

    @Test
    void olderProtocolsAreNotEnabled() {
        SslContext context = ServerTlsContext.load(rsa.write(dir, "server"));
        var engine = context.newEngine(ByteBufAllocator.DEFAULT);
        // Netty's OpenSSL engine always lists the SSLv2Hello pseudo-protocol (a hello format; BoringSSL has no SSLv2)
        assertThat(engine.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello")).containsOnly("TLSv1.2", "TLSv1.3");
        var jdk = ServerTlsContext.load(rsa.write(dir, "server"), SslProvider.JDK, Clock.systemUTC()).newEngine(ByteBufAllocator.DEFAULT);
        assertThat(jdk.getEnabledProtocols()).containsOnly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void theOpenSslProviderIsPreferredWhenItLoads() {
        assertThat(ServerTlsContext.preferredProvider()).isEqualTo(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            // the pom ships netty-tcnative for this platform: failing to load it is a regression
            assertThat(OpenSsl.isAvailable()).as("OpenSSL unavailable: %s", OpenSsl.unavailabilityCause()).isTrue();
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws IOException {
        TlsFiles files = ec.write(dir, "server");
        Files.writeString(files.key(), ca.issue(HOST).keyPem(KeyFormat.PKCS8));

        assertThatThrownBy(() -> ServerTlsContext.load(files))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tls.key: " + files.key() + ": does not match the certificate in tls.certificate ("
                        + files.certificate() + ")");
    }

    @Test
    void anRsaKeyForAnEcCertificateIsRefused() throws IOException {
        TlsFiles files = ec.write(dir, "server");
        Files.writeString(files.key(), rsa.keyPem(KeyFormat.TRADITIONAL));
        assertThatThrownBy(() -> ServerTlsContext.load(files)).hasMessageContaining("does not match the certificate");
    }

    @Test
    void aChainInTheWrongOrderIsExplained() throws IOException {
        TlsFiles files = ec.write(dir, "server");
        // the CA first, then the server's own certificate, and the key of... the CA
        Files.writeString(files.certificate(), TestCertificates.toPem(List.of(ec.certificate(), ca.certificate())));
        Files.writeString(files.key(), TestCertificates.toPem(ca.key(), KeyFormat.PKCS8));

        assertThatThrownBy(() -> ServerTlsContext.load(files))
                .hasMessageContaining("tls.key: " + files.key() + ": matches certificate 2 in ")
                .hasMessageContaining("the server's own certificate must come first");
    }

    @Test
    void filesWithoutTheRightBlocksAreNamed() throws Exception {
        TlsFiles files = ec.write(dir, "server");
        Path keyAsCert = new TlsFiles(files.key(), files.key()).certificate();
        assertThatThrownBy(() -> ServerTlsContext.load(new TlsFiles(keyAsCert, files.key())))
                .hasMessage("tls.certificate: " + keyAsCert + ": no certificate found (expected PEM: -----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> ServerTlsContext.load(new TlsFiles(files.certificate(), files.certificate())))
                .hasMessageStartingWith("tls.key: " + files.certificate() + ": no private key found");
        Path binary = Files.write(dir.resolve("der.crt"), ec.certificate().getEncoded());
        assertThatThrownBy(() -> ServerTlsContext.load(new TlsFiles(binary, files.key())))
                .hasMessageStartingWith("tls.certificate: " + binary + ": no certificate found");
        Path missing = dir.resolve("none.pem");
        assertThatThrownBy(() -> ServerTlsContext.load(new TlsFiles(missing, files.key())))
                .hasMessage("tls.certificate: " + missing + ": no such file");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ServerTlsContext.load(new TlsFiles(broken, files.key())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.certificate: " + broken + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void encryptedKeysAreRefusedWithAHint() throws Exception {
        TlsFiles files = ec.write(dir, "server");
        Files.writeString(files.key(), encryptedPem(ec.key()));
        assertThatThrownBy(() -> ServerTlsContext.load(files))
                .hasMessageStartingWith("tls.key: " + files.key() + ": encrypted private keys are not supported");
    }

    @Test
    void anExpiredCertificateStillLoads() {
        // most SMTP clients never check; refusing to start would turn STARTTLS off for everyone
        Issued expired = ca.leaf(HOST).expired().issue();
        assertThat(ServerTlsContext.load(expired.write(dir, "old")).isServer()).isTrue();
    }

    @Test
    void theTestKitCertificatesFailWhereTheyShould() throws Exception {
        SSLContext trusting = ca.clientContext();
        // expired, not yet valid, wrong name, self-signed: a verifying client refuses each
        for (Issued bad : List.of(ca.leaf(HOST).expired().issue(), ca.leaf(HOST).notYetValid().issue(),
                ca.issue("other.relay.test"), TestCertificates.selfSigned(HOST).issue())) {
            SslContext context = ServerTlsContext.load(bad.write(dir, "bad"));
            assertThatThrownBy(() -> handshake(context, trusting, HOST, null)).isInstanceOf(SSLHandshakeException.class);
        }
        // a wildcard covers exactly one label
        SslContext wildcard = ServerTlsContext.load(ca.issue("*.relay.test").write(dir, "wild"));
        assertThat(handshake(wildcard, trusting, "mx1.relay.test", null)).startsWith("hello TLSv1.");
        assertThatThrownBy(() -> handshake(wildcard, trusting, "a.mx1.relay.test", null)).isInstanceOf(SSLHandshakeException.class);
    }

    /** Connects with a verifying JDK client (SNI and hostname check for {@code name}) and reads the greeting. */
    private static String handshake(SslContext server, SSLContext client, String name, String onlyProtocol) throws Exception {
        try (TlsTestServer running = new TlsTestServer(server); Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", running.port()), 5000);
            plain.setSoTimeout(10_000);
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, name, running.port(), true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (onlyProtocol != null) {
                    parameters.setProtocols(new String[] {onlyProtocol});
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String line = in.readLine();
                assertThat(line).isEqualTo("hello " + socket.getSession().getProtocol());
                return line;
            }
        }
    }

    private static String encryptedPem(PrivateKey key) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setPassword("passphrase".toCharArray())
                .build();
        var out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, encryptor));
        }
        return out.toString();
    }
}
