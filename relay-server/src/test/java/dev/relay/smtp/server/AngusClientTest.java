package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real SMTP client library (Eclipse Angus Mail) against the listener on a loopback socket. */
class AngusClientTest {

    private static Properties baseProperties(String protocol) {
        Properties props = new Properties();
        props.put("mail." + protocol + ".localhost", "client.test");
        props.put("mail." + protocol + ".connectiontimeout", "5000");
        props.put("mail." + protocol + ".timeout", "5000");
        props.put("mail." + protocol + ".ssl.trust", "*");
        return props;
    }

    /** Port 587 style: STARTTLS required, then AUTH with this one mechanism. */
    private static Properties submissionProperties(String mechanism) {
        Properties props = baseProperties("smtp");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.auth.mechanisms", mechanism);
        return props;
    }

    private static MimeMessage message(Session session, String text) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@example.org"));
        message.setRecipients(Message.RecipientType.TO, "one@example.com, two@example.net");
        message.setSubject("Greetings");
        message.setText(text);
        return message;
    }

    private static void send(TestServer server, String protocol, Properties props, String user, String password, String text)
            throws MessagingException {
        Session session = Session.getInstance(props);
        MimeMessage message = message(session, text);
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(server.address.getHostString(), server.address.getPort(), user, password);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    @Test
    void plainRelayFromATrustedNetwork() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server()) {
            send(server, "smtp", baseProperties("smtp"), null, null, "Hello\n.\nworld, with a lone dot line");
        }
        CapturingQueue.Accepted message = fixture.queue.only();
        assertThat(message.envelope().sender()).isEqualTo("sender@example.org");
        assertThat(message.envelope().recipients()).extracting(r -> r.address())
                .containsExactly("one@example.com", "two@example.net");
        assertThat(message.envelope().clientAddress()).isEqualTo("127.0.0.1");
        assertThat(message.envelope().heloName()).isEqualTo("client.test");
        assertThat(message.text())
                .startsWith("Received: from client.test ([127.0.0.1])\r\n\tby relay.test with ESMTP\r\n\tid T0000001;")
                .contains("Subject: Greetings\r\n")
                .contains("Hello\r\n.\r\nworld, with a lone dot line");
        assertThat(fixture.events.all()).contains("accepted 127.0.0.1:0 " + message.content().getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest(name = "AUTH {0}")
    @ValueSource(strings = {"PLAIN", "LOGIN"})
    void startTlsAndAuthOnASubmissionListenerAndAWrongPassword(String mechanism) throws Exception {
        SmtpFixture fixture = SmtpFixture.submission();
        Properties props = submissionProperties(mechanism);
        try (TestServer server = fixture.server()) {
            send(server, "smtp", props, "alice", "secret", "via " + mechanism);
            assertThatThrownBy(() -> send(server, "smtp", props, "alice", "wrong", "never"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("535 5.7.8");
        }
        CapturingQueue.Accepted message = fixture.queue.only();
        assertThat(message.envelope().authenticatedUser()).contains("alice");
        assertThat(message.text()).contains("with ESMTPSA (TLSv1.").contains("via " + mechanism);
    }

    @Test
    void implicitTls() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls().implicitTls().starttls(Mode.OFF).auth(Mode.REQUIRED)
                .noRelayNetworks();
        Properties props = baseProperties("smtps");
        props.put("mail.smtps.auth", "true");
        try (TestServer server = fixture.server()) {
            send(server, "smtps", props, "alice", "secret", "over implicit TLS");
        }
        CapturingQueue.Accepted message = fixture.queue.only();
        assertThat(message.envelope().authenticatedUser()).contains("alice");
        assertThat(message.text()).contains("with ESMTPSA (TLSv1.");
    }

    @Test
    void unauthenticatedClientOutsideRelayNetworksIsDenied() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().noRelayNetworks();
        try (TestServer server = fixture.server()) {
            assertThatThrownBy(() -> send(server, "smtp", baseProperties("smtp"), null, null, "spam"))
                    .isInstanceOf(MessagingException.class)
                    .hasStackTraceContaining("554 5.7.1 Relay access denied");
        }
        assertThat(fixture.queue.accepted()).isEmpty();
    }
}
