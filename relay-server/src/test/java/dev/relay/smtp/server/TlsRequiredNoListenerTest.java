package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The listener notes {@code TLS-Required: No} (RFC 8689 section 4.2.2) in the header section of
 * what it receives, by DATA or by BDAT, and stores it in the envelope with the message.
 */
class TlsRequiredNoListenerTest {

    private static final String TRANSACTION = "MAIL FROM:<sender@example.org>\r\nRCPT TO:<rcpt@example.com>\r\n";

    @Test
    void theHeaderFieldIsStoredWithTheMessage() {
        SmtpFixture fixture = SmtpFixture.defaults();
        SessionHarness session = fixture.greeted();
        session.send(TRANSACTION + "DATA\r\n");
        session.send("Subject: cert expiry\r\nTLS-Required: No\r\n\r\nThe certificate expires.\r\n.\r\n");
        assertThat(session.replies()).last().asString().startsWith("250 2.0.0");

        CapturingQueue.Accepted message = fixture.queue.only();
        assertThat(message.envelope().tlsRequiredNo()).isTrue();
        assertThat(message.envelope().requireTls()).isFalse();
        assertThat(message.text()).as("the field travels on unchanged").contains("TLS-Required: No\r\n");
        session.assertDrained();
    }

    @Test
    void withoutItOrOnlyInTheBodyNothingIsStored() {
        SmtpFixture fixture = SmtpFixture.defaults();
        SessionHarness session = fixture.greeted();
        session.send(TRANSACTION + "DATA\r\n");
        session.send("Subject: hello\r\n\r\nTLS-Required: No\r\n.\r\n");
        assertThat(session.replies()).last().asString().startsWith("250 2.0.0");

        assertThat(fixture.queue.only().envelope().tlsRequiredNo()).isFalse();
        session.assertDrained();
    }

    @Test
    void bdatContentIsScannedToo() {
        SmtpFixture fixture = SmtpFixture.defaults();
        SessionHarness session = fixture.greeted();
        String first = "tls-required:";
        String last = " no\r\nSubject: x\r\n\r\nbody\r\n";
        session.send(TRANSACTION + "BDAT " + first.length() + "\r\n" + first);
        session.send("BDAT " + last.length() + " LAST\r\n" + last);
        assertThat(session.replies()).last().asString().startsWith("250 2.0.0");

        assertThat(fixture.queue.only().envelope().tlsRequiredNo()).isTrue();
        session.assertDrained();
    }
}
