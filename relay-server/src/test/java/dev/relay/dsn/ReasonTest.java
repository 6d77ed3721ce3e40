package dev.relay.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReasonTest {

    @Test
    void aRemoteRejectionGivesItsCodeAndStatus() {
        Reason reason = Reason.parse("550 5.1.1 <bob@x>: no such user");

        assertThat(reason.replyCode()).isEqualTo(OptionalInt.of(550));
        assertThat(reason.enhancedStatus()).contains("5.1.1");
        assertThat(reason.reply()).isEqualTo("550 5.1.1 <bob@x>: no such user");
        assertThat(reason.expired()).isFalse();
        assertThat(reason.status(DsnAction.FAILED)).isEqualTo("5.1.1");
    }

    @Test
    void aLocalReasonHasAStatusButNoReplyCode() {
        Reason reason = Reason.parse("4.4.3 DNS lookup failed for example.com: SERVFAIL");

        assertThat(reason.replyCode()).isEmpty();
        assertThat(reason.enhancedStatus()).contains("4.4.3");
        assertThat(reason.status(DsnAction.DELAYED)).isEqualTo("4.4.3");
        assertThat(reason.mtaSts()).isFalse();
    }

    @Test
    void anMtaStsReasonNamesItsPolicyDomainAndTlsResult() {
        Reason reason = Reason.parse(
                "4.7.5 MTA-STS policy of example.com could not be met: mx1.example.com: certificate-host-mismatch");

        assertThat(reason.mtaSts()).isTrue();
        assertThat(reason.policyDomain()).contains("example.com");
        assertThat(reason.tlsResultTypes()).containsExactly("certificate-host-mismatch");
        assertThat(reason.enhancedStatus()).contains("4.7.5");
    }

    @Test
    void tlsResultsKeepTheirOrderAndHosts() {
        Reason reason = Reason.parse("4.7.5 MTA-STS policy of example.com could not be met: mx1.example.com:"
                + " certificate-expired; MX2.example.com.: STARTTLS-not-supported; sts-policy-invalid");

        assertThat(reason.tlsResults()).containsExactly(
                new Reason.TlsResult(Optional.of("mx1.example.com"), "certificate-expired"),
                new Reason.TlsResult(Optional.of("mx2.example.com"), "starttls-not-supported"),
                new Reason.TlsResult(Optional.empty(), "sts-policy-invalid"));
    }

    @Test
    void theQueuesExpiryTextKeepsTheLastReply() {
        Reason reason = Reason.parse("delivery time expired: still failing after 31 attempts, queue lifetime PT120H"
                + " is over; last reply: 451 4.4.1 connect to mx.example.com[192.0.2.10]:25: Connection refused");

        assertThat(reason.expired()).isTrue();
        assertThat(reason.lastReply()).isEqualTo("451 4.4.1 connect to mx.example.com[192.0.2.10]:25: Connection refused");
        assertThat(reason.replyCode()).isEqualTo(OptionalInt.of(451));
        assertThat(reason.enhancedStatus()).contains("4.4.1");
        assertThat(reason.status(DsnAction.FAILED)).isEqualTo("4.4.7");
    }

    @Test
    void whatAServerSaidIsFoundAfterTheDeliveryCodesWording() {
        Reason reason = Reason.parse(
                "host MX2.Example.com[2001:db8::25]:25 said: 554 5.7.1 <mail.example.net[192.0.2.1]>: Client host rejected");

        assertThat(reason.replyCode()).isEqualTo(OptionalInt.of(554));
        assertThat(reason.enhancedStatus()).contains("5.7.1");
        assertThat(reason.reply()).startsWith("554 5.7.1 <mail.example.net");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "550 4.1.1 mismatched class is text | 5.0.0",
            "550 user unknown | 5.0.0",
            "user unknown, no code at all | 5.0.0",
            "'' | 5.0.0",
            "421 4.3.2 shutting down | 4.3.2",
            "5.1.10 null MX: example.com does not accept mail | 5.1.10",
            "554 5.4.7 message too old | 4.4.7",
            "Delivery time expired | 4.4.7",
            "250 2.0.0 accepted, strangely | 5.0.0",
            "451 see 5.1.1 later in the text | 4.0.0",
    })
    void statusOfAFailure(String text, String status) {
        assertThat(Reason.parse(text).status(DsnAction.FAILED)).isEqualTo(status);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "451 4.4.1 connect refused | 4.4.1",
            "550 5.1.1 permanent in a delay | 4.0.0",
            "nothing | 4.0.0",
    })
    void statusOfADelay(String text, String status) {
        assertThat(Reason.parse(text).status(DsnAction.DELAYED)).isEqualTo(status);
    }

    @Test
    void aSuccessKeepsItsTwoHundredStatus() {
        assertThat(Reason.parse("250 2.6.0 Ok: queued as ABC").status(DsnAction.RELAYED)).isEqualTo("2.6.0");
        assertThat(Reason.parse("250 Ok").status(DsnAction.RELAYED)).isEqualTo("2.0.0");
    }

    @Test
    void ipAddressesAndVersionsAreNotStatuses() {
        Reason reason = Reason.parse("connect to mx.example.com[192.0.2.1]:25: No route to host");
        assertThat(reason.enhancedStatus()).isEqualTo(Optional.empty());
        assertThat(reason.replyCode()).isEmpty();
    }
}
