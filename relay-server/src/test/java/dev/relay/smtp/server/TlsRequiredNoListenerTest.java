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
        CapturingQueue.Accepted message = SmtpFixture.defaults().queuedAfter(TRANSACTION + "DATA\r\n",
                "Subject: cert expiry\r\nTLS-Required: No\r\n\r\nThe certificate expires.\r\n.\r\n");

        assertThat(message.envelope().tlsRequiredNo()).isTrue();
        assertThat(message.envelope().requireTls()).isFalse();
        assertThat(message.text()).as("the field travels on unchanged").contains("TLS-Required: No\r\n");
    }

    @Test
    void withoutItOrOnlyInTheBodyNothingIsStored() {
        CapturingQueue.Accepted message = SmtpFixture.defaults().queuedAfter(TRANSACTION + "DATA\r\n",
                "Subject: hello\r\n\r\nTLS-Required: No\r\n.\r\n");

        assertThat(message.envelope().tlsRequiredNo()).isFalse();
    }

    @Test
    void bdatContentIsScannedToo() {
        String first = "tls-required:";
        String last = " no\r\nSubject: x\r\n\r\nbody\r\n";
        CapturingQueue.Accepted message = SmtpFixture.defaults().queuedAfter(
                TRANSACTION + "BDAT " + first.length() + "\r\n" + first, "BDAT " + last.length() + " LAST\r\n" + last);

        assertThat(message.envelope().tlsRequiredNo()).isTrue();
    }
}
