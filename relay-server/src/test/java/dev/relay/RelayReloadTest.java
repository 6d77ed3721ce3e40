package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.ReloadOutcome;
import dev.relay.admin.testkit.AdminHttp;
import dev.relay.cli.CommandRun;
import dev.relay.config.ConfigLoader;
import dev.relay.metrics.testkit.Scrape;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.testkit.CapturedLogs;
import dev.relay.tls.TlsFiles;
import dev.relay.tls.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Reload on a running relay (in-process, loopback): what can change live applies to new
 * connections while sessions in progress keep theirs; a renewed certificate is what the next
 * client sees; a bad file is refused with one line and changes nothing; keys that need a
 * restart are named.
 */
class RelayReloadTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Reload Test CA");

    @TempDir
    Path dir;

    private Path file;
    private Path spool;
    private RelayApplication relay;
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.root();
    private final Logger relayLogger = (Logger) LoggerFactory.getLogger("dev.relay");
    private Level levelBefore;

    @BeforeEach
    void captureLogs() {
        levelBefore = relayLogger.getLevel();
        file = dir.resolve("relay.yaml");
        spool = dir.resolve("spool");
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
        relayLogger.setLevel(levelBefore);
    }

    /** The file the relay runs on; {@code extra} is appended as is. */
    private void write(String relayNetworks, String extra) throws Exception {
        Files.writeString(file, """
                hostname: relay.test
                listeners:
                  - address: 127.0.0.1:0
                    starttls: optional
                    auth: off
                relay-networks: [%s]
                tls: {certificate: %s, key: %s}
                spool: {directory: %s, min-free-space: 1MB}
                delivery:
                  port: 9
                  dns: {servers: [127.0.0.1:9]}
                mta-sts: {cache-directory: %s}
                admin: {address: 127.0.0.1:0}
                shutdown-grace: 2s
                %s
                """.formatted(relayNetworks, dir.resolve("relay.crt.pem"), dir.resolve("relay.key.pem"), spool,
                dir.resolve("mta-sts"), extra));
    }

    private void start() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        relay = RelayApplication.builder(loader.load(file).config()).reloadFrom(() -> loader.load(file)).start();
    }

    /** EHLO, STARTTLS with {@code trust} recording the relay's certificate, and EHLO again over TLS. */
    private static void startTls(SmtpTestClient client, RecordingTrust trust) throws Exception {
        client.command("EHLO client.test", 250);
        client.command("STARTTLS", 220);
        client.startTls(trust.context());
        client.command("EHLO client.test", 250);
    }

    private static TlsFiles certificate(Path dir, String commonName) {
        return CA.leaf("relay.test").commonName(commonName).issue().write(dir, "relay");
    }

    @Test
    void aRenewedCertificateIsWhatTheNextClientSeesWhileAnOpenSessionGoesOn() throws Exception {
        certificate(dir, "first");
        write("127.0.0.0/8", "");
        start();
        RecordingTrust firstTrust = new RecordingTrust();
        try (SmtpTestClient open = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
            startTls(open, firstTrust);
            open.command("MAIL FROM:<a@client.test>", 250);

            certificate(dir, "second"); // the renewal: same paths, new files
            ReloadOutcome outcome = relay.reload("test");
            assertThat(outcome.applied()).isTrue();

            RecordingTrust secondTrust = new RecordingTrust();
            try (SmtpTestClient next = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
                startTls(next, secondTrust);
            }
            assertThat(commonName(firstTrust.seen.getFirst())).isEqualTo("first");
            assertThat(commonName(secondTrust.seen.getFirst())).isEqualTo("second");

            // the session that began before the reload finishes its transaction
            open.command("RCPT TO:<b@example.org>", 250);
            open.command("DATA", 354);
            open.write(new String(SmtpTestClient.dataPayload("Subject: t\r\n\r\nbody\r\n"), java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(open.readReply().code()).isEqualTo(250);
        }
        Scrape scrape = Scrape.parse(new AdminHttp(relay.adminAddress()).get("/metrics").body());
        assertThat(scrape.value("relay_tls_certificate_expiry_seconds")).isPresent();
        assertThat(lines(Level.INFO)).anySatisfy(line -> assertThat(line)
                .startsWith("reload (asked by test): applied " + file + ": no key changed; certificate "));
    }

    @Test
    void relayNetworksAndLimitsApplyToNewSessionsNotToOnesInProgress() throws Exception {
        certificate(dir, "first");
        write("127.0.0.0/8", "limits: {max-recipients: 5}");
        start();
        try (SmtpTestClient before = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
            before.command("EHLO client.test", 250);
            before.command("MAIL FROM:<a@client.test>", 250);

            write("10.0.0.0/8", "limits: {max-recipients: 1}");
            ReloadOutcome outcome = relay.reload("test");
            assertThat(outcome.changed()).containsExactly("relay-networks", "limits.max-recipients");
            assertThat(outcome.needRestart()).isEmpty();

            try (SmtpTestClient after = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
                after.command("EHLO client.test", 250);
                after.command("MAIL FROM:<a@client.test>", 250);
                assertThat(after.command("RCPT TO:<b@example.org>").code()).isEqualTo(554);
            }
            // the session from before keeps the networks and limits it started with
            before.command("RCPT TO:<b@example.org>", 250);
            before.command("RCPT TO:<c@example.org>", 250);
        }
    }

    @Test
    void aBadFileIsRefusedWithOneLineAndTheRunningConfigurationStays() throws Exception {
        certificate(dir, "first");
        write("127.0.0.0/8", "");
        start();
        write("127.0.0.0/8", "limits: {max-recipients: -3}");

        ReloadOutcome outcome = relay.reload("test");

        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.refusal()).hasValueSatisfying(why -> assertThat(why).contains("limits.max-recipients"));
        assertThat(lines(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith("reload (asked by test) refused, the running configuration stays in force: ")
                .contains("limits.max-recipients"));
        // a certificate that does not match its key is refused too, before anything changed
        write("10.0.0.0/8", "");
        Files.writeString(dir.resolve("relay.key.pem"), CA.leaf("relay.test").issue().keyPem(TestCertificates.KeyFormat.PKCS8));
        assertThat(relay.reload("test").refusal()).hasValueSatisfying(why -> assertThat(why).contains("tls.key"));
        try (SmtpTestClient client = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
            client.command("EHLO client.test", 250);
            client.command("MAIL FROM:<a@client.test>", 250);
            client.command("RCPT TO:<b@example.org>", 250); // still 127.0.0.0/8
        }
    }

    @Test
    void keysThatNeedARestartAreNamedAndKeepTheirRunningValues() throws Exception {
        certificate(dir, "first");
        write("127.0.0.0/8", "");
        start();
        String text = Files.readString(file).replace("address: 127.0.0.1:0\n    starttls", "address: 127.0.0.1:1\n    starttls")
                .replace("directory: " + spool, "directory: " + dir.resolve("other-spool"))
                .replace("port: 9", "port: 2526") + "network: {io: nio}\n";
        Files.writeString(file, text);

        ReloadOutcome outcome = relay.reload("test");

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.changed()).containsExactly("delivery.port");
        assertThat(outcome.needRestart()).containsExactly("listeners[0].address", "spool.directory", "network.io");
        assertThat(lines(Level.WARN)).contains("reload: listeners[0].address, spool.directory, network.io changed but"
                + " apply only at a restart; the running values stay in force until then");
        assertThat(Files.exists(dir.resolve("other-spool"))).isFalse();
        try (SmtpTestClient client = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
            client.command("EHLO client.test", 250); // the listener stays where it was bound
        }
    }

    @Test
    void theAdminApiAndTheCommandReloadAndTheLogLevelFollows() throws Exception {
        certificate(dir, "first");
        write("127.0.0.0/8", "");
        start();
        write("127.0.0.0/8", "logging: {level: debug}");
        HttpResponse<String> reply = new AdminHttp(relay.adminAddress()).post("/api/reload", "");
        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode body = AdminJson.mapper().readTree(reply.body());
        assertThat(body.get("changed").get(0).asText()).isEqualTo("logging.level");
        assertThat(((Logger) LoggerFactory.getLogger("dev.relay")).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(lines(Level.INFO)).anySatisfy(line -> assertThat(line)
                .startsWith("reload (asked by admin API client 127.0.0.1): applied"));

        write("127.0.0.0/8", "");
        CommandRun applied = CommandRun.of("reload", "--admin", "127.0.0.1:" + relay.adminAddress().getPort());
        assertThat(applied.exitCode()).isZero();
        assertThat(applied.out()).isEqualTo("reloaded " + file + ": changed logging.level\n");
        assertThat(((Logger) LoggerFactory.getLogger("dev.relay")).getLevel()).isNotEqualTo(Level.DEBUG);

        write("127.0.0.0/8", "limits: {max-recipients: many}");
        CommandRun refused = CommandRun.of("reload", "--admin", "127.0.0.1:" + relay.adminAddress().getPort());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("reload refused, the running configuration stays in force: ")
                .contains("limits.max-recipients");
    }

    private List<String> lines(Level level) {
        return logs.messages(level, Reloader.class);
    }

    private static String commonName(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1");
    }

    /** Trusts the test CA and keeps every chain a server showed. */
    private static final class RecordingTrust implements X509TrustManager {
        final List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        private final X509TrustManager ca = (X509TrustManager) CA.trustManagerFactory().getTrustManagers()[0];

        SSLContext context() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            seen.add(chain[0]);
            ca.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return ca.getAcceptedIssuers();
        }
    }
}
