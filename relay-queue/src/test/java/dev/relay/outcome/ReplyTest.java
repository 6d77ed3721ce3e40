package dev.relay.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "550 5.1.1 no such user    | 550 | 5.1.1  | no such user",
            "451 4.7.5                 | 451 | 4.7.5  | ''",
            "250                       | 250 | ''     | ''",
            "250-2.0.0 ok              | 250 | 2.0.0  | ok",
            "450 5.1.1 class differs   | 450 | ''     | 5.1.1 class differs",
            "550 5.1.1234 too long     | 550 | ''     | 5.1.1234 too long",
            "556 5.1.10 null MX        | 556 | 5.1.10 | null MX",
            "421 closing               | 421 | ''     | closing",
    })
    void readsALine(String line, int code, String status, String text) {
        Reply reply = Reply.parse(line).orElseThrow();

        assertThat(reply.code()).isEqualTo(code);
        assertThat(reply.enhanced().map(EnhancedStatus::toString)).isEqualTo(
                status.isEmpty() ? Optional.empty() : Optional.of(status));
        assertThat(reply.text()).isEqualTo(text);
        assertThat(Reply.parse(reply.line())).contains(reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "55", "abc 5.1.1 x", "150 informational", "350 go on", "25x ok", "550x5.1.1"})
    void aLineWithoutAFinalReplyCodeIsNoReply(String line) {
        assertThat(Reply.parse(line)).isEmpty();
    }

    @Test
    void withoutAnEnhancedStatusTheClassStandsIn() {
        assertThat(new Reply(250, Optional.empty(), "ok").status()).isEqualTo(EnhancedStatus.SUCCESS);
        assertThat(new Reply(421, Optional.empty(), "bye").status()).isEqualTo(EnhancedStatus.TEMPORARY);
        assertThat(new Reply(554, Optional.empty(), "no").status()).isEqualTo(EnhancedStatus.PERMANENT);
    }

    @Test
    void aReplyIsOneLine() {
        assertThatThrownBy(() -> new Reply(550, Optional.empty(), "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply(199, Optional.empty(), "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"5.1.1,5,1,1", "4.4.7,4,4,7", "2.0.0,2,0,0", "5.999.999,5,999,999"})
    void enhancedStatusesRoundTrip(String text, int klass, int subject, int detail) {
        EnhancedStatus status = EnhancedStatus.parse(text).orElseThrow();

        assertThat(status).isEqualTo(new EnhancedStatus(klass, subject, detail));
        assertThat(status.toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1.1", "5.1", "5..1", "5.1.", ".1.1", "5.1000.1", "5.1.1000", "5-1-1", "x.1.1", "5.a.1"})
    void notEnhancedStatuses(String text) {
        assertThat(EnhancedStatus.parse(text)).isEmpty();
    }

    @Test
    void outcomesKeepTheirClassesApart() {
        Reply ok = Reply.of(250, EnhancedStatus.SUCCESS, "ok");
        Reply later = Reply.of(451, EnhancedStatus.NO_ANSWER, "later");
        Reply never = Reply.of(550, new EnhancedStatus(5, 1, 1), "no");
        assertThatThrownBy(() -> new Outcome.Delivered(later, Source.local(), TlsFacts.none()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Outcome.Deferred(ok, Source.local(), TlsFacts.none(), Cause.LOCAL_ERROR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Outcome.Failed(later, Source.local(), TlsFacts.none(), Cause.LOCAL_ERROR))
                .as("a 4xx fails only by expiry").isInstanceOf(IllegalArgumentException.class);

        Outcome.Failed expired = new Outcome.Deferred(later, Source.local(), TlsFacts.none(), Cause.CONNECT_FAILED).expire();
        assertThat(expired.status()).isEqualTo(EnhancedStatus.DELIVERY_TIME_EXPIRED);
        assertThat(expired.cause()).as("the last attempt's cause stays").isEqualTo(Cause.CONNECT_FAILED);
        assertThat(new Outcome.Failed(never, Source.local(), TlsFacts.none(), Cause.REMOTE_REPLY).status())
                .isEqualTo(new EnhancedStatus(5, 1, 1));
    }

    @Test
    void everyRfc8460ResultTypeIsACause() {
        // RFC 8460 section 4.3: the result types, one to one
        assertThat(java.util.Arrays.stream(Cause.values()).flatMap(c -> c.tlsReportResultType().stream()))
                .containsExactlyInAnyOrder("starttls-not-supported", "certificate-host-mismatch",
                        "certificate-expired", "certificate-not-trusted", "validation-failure", "tlsa-invalid",
                        "dnssec-invalid", "dane-required", "sts-policy-fetch-error", "sts-policy-invalid",
                        "sts-webpki-invalid");
        for (Cause cause : Cause.values()) {
            assertThat(Cause.fromLabel(cause.label())).contains(cause);
        }
    }
}
