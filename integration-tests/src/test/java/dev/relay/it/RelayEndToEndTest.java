package dev.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.auth.PasswordHasher;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueuedMessage;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.testkit.ChildRelayYaml;
import dev.relay.tls.TlsFiles;
import dev.relay.tls.testkit.TestCertificates;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built relay.jar as an operator runs it: three listeners (relay, submission with
 * STARTTLS + AUTH, implicit TLS), a real users file and certificate, a real SMTP client
 * library, a graceful SIGTERM in the middle of a transaction, and the spool read afterwards.
 */
class RelayEndToEndTest {

    @TempDir
    Path work;

    private SSLContext clientTls;
    private int relayPort;
    private int submissionPort;
    private int smtpsPort;
    private String config;

    @BeforeEach
    void writeConfig() throws IOException {
        TestCertificates.Authority ca = TestCertificates.newAuthority("Relay Test CA");
        TlsFiles files = ca.issue("relay.test", "127.0.0.1").write(work, "relay");
        clientTls = ca.clientContext();
        Path users = work.resolve("users");
        Files.writeString(users, "# test users\nalice:" + PasswordHasher.pbkdf2Sha256(10_000).hash("s3cret pw".toCharArray())
                + "\n");
        relayPort = RelayProcess.freePort();
        submissionPort = RelayProcess.freePort();
        smtpsPort = RelayProcess.freePort();
        config = """
                hostname: relay.test
                listeners:
                  - address: 127.0.0.1:%d
                    starttls: optional
                    auth: off
                  - address: 127.0.0.1:%d
                    starttls: required
                    auth: required
                  - address: 127.0.0.1:%d
                    implicit-tls: true
                    auth: required
                relay-networks: [127.0.0.0/8]
                users-file: %s
                tls:
                  certificate: %s
                  key: %s
                """.formatted(relayPort, submissionPort, smtpsPort, users, files.certificate(), files.key())
                + ChildRelayYaml.storageDnsAndAdmin(work.resolve("spool"), RelayProcess.freePort(), work.resolve("mta-sts"),
                        RelayProcess.freePort())
                + "shutdown-grace: 20s\n";
    }

    private Properties clientProperties(String protocol) {
        Properties props = new Properties();
        props.put("mail." + protocol + ".localhost", "client.test");
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "10000");
        props.put("mail." + protocol + ".ssl.socketFactory", clientTls.getSocketFactory());
        props.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        props.put("mail." + protocol + ".auth", "true");
        return props;
    }

    private static void send(Properties props, String protocol, int port, String user, String password, String subject)
            throws MessagingException {
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@example.org"));
        message.setRecipients(Message.RecipientType.TO, "bob@example.com, carol@example.net");
        message.setSubject(subject);
        message.setText("Hello from " + subject + "\n.\nA line with a lone dot above.\n");
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect("127.0.0.1", port, user, password);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    @Test
    void acceptsOverEveryListenerAndStopsGracefullyOnSigterm() throws Exception {
        Map<String, String> bodies = new HashMap<>();
        try (RelayProcess relay = RelayProcess.start(work, config, relayPort, List.of())) {
            Properties submission = clientProperties("smtp");
            submission.put("mail.smtp.starttls.enable", "true");
            submission.put("mail.smtp.starttls.required", "true");
            send(submission, "smtp", submissionPort, "alice", "s3cret pw", "via-submission");
            send(clientProperties("smtps"), "smtps", smtpsPort, "alice", "s3cret pw", "via-smtps");

            assertThatThrownBy(() -> send(submission, "smtp", submissionPort, "alice", "wrong", "bad-password"))
                    .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);

            try (SmtpTestClient plain = SmtpTestClient.connect(new java.net.InetSocketAddress("127.0.0.1", submissionPort), 10_000)) {
                plain.readReply();
                SmtpTestClient.Reply ehlo = plain.command("EHLO client.test");
                assertThat(ehlo.text()).contains("STARTTLS").doesNotContain("AUTH");
                SmtpTestClient.Reply mail = plain.command("MAIL FROM:<alice@example.org>");
                assertThat(mail.code()).isEqualTo(530);
                assertThat(mail.text()).contains("5.7.0");
            }

            // a transaction in progress when SIGTERM arrives is allowed to finish
            try (SmtpTestClient client = SmtpTestClient.connect(relay.smtpAddress(), 20_000)) {
                assertThat(client.readReply().code()).isEqualTo(220);
                assertThat(client.command("EHLO client.test").code()).isEqualTo(250);
                assertThat(client.command("MAIL FROM:<app@example.org>").code()).isEqualTo(250);
                assertThat(client.command("RCPT TO:<dave@example.com>").code()).isEqualTo(250);
                assertThat(client.command("DATA").code()).isEqualTo(354);
                client.write("Subject: in-flight\r\n\r\nfirst half\r\n");
                relay.process().destroy(); // SIGTERM
                awaitLog(relay, "stopping", Duration.ofSeconds(20));
                client.write(SmtpTestClient.dataPayload("second half"));
                SmtpTestClient.Reply queued = client.readReply();
                assertThat(queued.code()).as(queued.text()).isEqualTo(250);
                assertThat(queued.text()).contains("2.0.0").contains("queued as");
                SmtpTestClient.Reply goodbye = client.readReply();
                assertThat(goodbye.code()).as(goodbye.text()).isEqualTo(421);
                assertThat(goodbye.text()).contains("4.3.2");
            }
            assertThat(relay.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
            assertThat(Files.readString(relay.logFile())).contains("relay stopped");
        }

        try (MessageQueue spool = RelayConfigs.openSpool(work.resolve("spool"))) {
            for (QueuedMessage message : spool.list()) {
                try (InputStream in = spool.openBody(message.id())) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    String subject = body.lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow();
                    bodies.put(subject.substring("Subject: ".length()), body);
                    if (!subject.contains("in-flight")) {
                        assertThat(message.envelope().authenticatedUser()).contains("alice");
                        assertThat(message.envelope().recipients()).extracting(r -> r.address())
                                .containsExactly("bob@example.com", "carol@example.net");
                    }
                }
            }
        }
        assertThat(bodies).containsOnlyKeys("via-submission", "via-smtps", "in-flight");
        assertThat(bodies.get("via-submission")).startsWith("Received: from client.test ([127.0.0.1])")
                .contains("ESMTPSA").contains("Message-ID:").contains("Date:")
                .contains("Hello from via-submission\r\n.\r\nA line with a lone dot above.\r\n");
        assertThat(bodies.get("via-smtps")).contains("ESMTPSA");
        assertThat(bodies.get("in-flight")).startsWith("Received: ").endsWith("first half\r\nsecond half\r\n");
    }

    private static void awaitLog(RelayProcess relay, String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(Files.readString(relay.logFile())).as("relay log").contains(text));
    }
}
