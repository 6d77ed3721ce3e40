package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.smtp.testkit.SmtpTestClient;
import org.junit.jupiter.api.Test;

/**
 * REQUIRETLS (RFC 8689) at the listener, over real sockets: announced only inside TLS, the MAIL
 * parameter taken only there (a named refusal on plain text), and the flag stored with the
 * message; with {@code delivery.requiretls: false} neither.
 */
class RequireTlsListenerTest {

    private static final String CONTENT = "Subject: secret\r\n\r\nbody\r\n.\r\n";

    @Test
    void announcedOnlyInsideTlsAndTheParameterIsRefusedOnPlainText() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.hello().lines()).doesNotContain("250-REQUIRETLS", "250 REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS").text())
                    .isEqualTo("530 5.7.0 REQUIRETLS needs a TLS session: issue STARTTLS first");
            assertThat(fixture.events.rejections()).containsExactly("rejected tls_required");

            assertThat(client.command("STARTTLS").text()).startsWith("220 ");
            client.startTls(TestTls.trustingClient());
            assertThat(client.command("EHLO client.example").lines()).contains("250-REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS").text()).isEqualTo("250 2.1.0 Sender ok");
            assertThat(client.command("RCPT TO:<b@example.com>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.write(CONTENT);
            assertThat(client.readReply().code()).isEqualTo(250);
        }
        CapturingQueue.Accepted message = fixture.queue.only();
        assertThat(message.envelope().requireTls()).isTrue();
        assertThat(message.envelope().parameters().requireTls()).isTrue();
        assertThat(fixture.events.all()).filteredOn(e -> e.startsWith("requiretls ")).hasSize(1);
    }

    @Test
    void aMessageWithoutTheParameterIsNotFlaggedEvenInsideTls() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.command("STARTTLS");
            client.startTls(TestTls.trustingClient());
            client.command("EHLO client.example");
            client.beginData("a@example.org", "b@example.com");
            client.write(CONTENT);
            assertThat(client.readReply().code()).isEqualTo(250);
        }
        assertThat(fixture.queue.only().envelope().requireTls()).isFalse();
        assertThat(fixture.events.all()).noneMatch(e -> e.startsWith("requiretls "));
    }

    @Test
    void anImplicitTlsListenerAnnouncesItFromTheStart() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls().implicitTls().starttls(Mode.OFF);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectTls()) {
            assertThat(client.hello().lines()).contains("250-REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS").code()).isEqualTo(250);
        }
    }

    @Test
    void theParameterTakesNoValueAndIsKnownOnlyWhereOffered() {
        String plain = "FROM:<a@example.org> REQUIRETLS";
        assertThat(EnvelopeArguments.parseMail(plain, 0, true, EnvelopeArguments.RequireTlsOffer.OFFERED))
                .isInstanceOfSatisfying(EnvelopeArguments.Sender.class, s -> assertThat(s.parameters().requireTls()).isTrue());
        assertThat(EnvelopeArguments.parseMail("FROM:<a@example.org> requiretls", 0, true,
                EnvelopeArguments.RequireTlsOffer.OFFERED))
                .isInstanceOfSatisfying(EnvelopeArguments.Sender.class, s -> assertThat(s.parameters().requireTls()).isTrue());
        assertThat(EnvelopeArguments.parseMail("FROM:<a@example.org>", 0, true, EnvelopeArguments.RequireTlsOffer.OFFERED))
                .isInstanceOfSatisfying(EnvelopeArguments.Sender.class, s -> assertThat(s.parameters().requireTls()).isFalse());
        assertThat(EnvelopeArguments.parseMail("FROM:<a@example.org> REQUIRETLS=YES", 0, true,
                EnvelopeArguments.RequireTlsOffer.OFFERED))
                .isEqualTo(EnvelopeArguments.Refused.syntax(Replies.BAD_PARAMETER));
        assertThat(EnvelopeArguments.parseMail(plain, 0, true, EnvelopeArguments.RequireTlsOffer.NEEDS_TLS))
                .isEqualTo(new EnvelopeArguments.Refused(Replies.REQUIRETLS_NEEDS_TLS,
                        java.util.Optional.of(RejectReason.TLS_REQUIRED)));
        assertThat(EnvelopeArguments.parseMail(plain, 0, true, EnvelopeArguments.RequireTlsOffer.OFF))
                .isEqualTo(EnvelopeArguments.Refused.syntax(Replies.UNKNOWN_PARAMETER));
    }

    @Test
    void switchedOffItIsNeitherAnnouncedNorTaken() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls().requireTls(false);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.command("STARTTLS");
            client.startTls(TestTls.trustingClient());
            assertThat(client.command("EHLO client.example").text()).doesNotContain("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS").text())
                    .isEqualTo("555 5.5.4 Unsupported parameter");
        }
    }
}
