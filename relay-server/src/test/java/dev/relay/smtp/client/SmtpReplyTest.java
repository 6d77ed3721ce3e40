package dev.relay.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void textJoinsLinesAndDropsTheRepeatedStatus() {
        SmtpReply reply = SmtpReply.of(550, List.of("5.1.1 The email account does not exist.", "5.1.1 Please check the address.",
                "5.1.1 https://mx.test/help"));

        assertThat(reply.enhancedStatus()).contains("5.1.1");
        assertThat(reply.text()).isEqualTo("550 5.1.1 The email account does not exist. Please check the address. https://mx.test/help");
        assertThat(reply.isPermanentFailure()).isTrue();
    }

    @Test
    void statusOfAnotherClassIsJustText() {
        SmtpReply reply = SmtpReply.of(250, List.of("5.1.1 looks like a status"));

        assertThat(reply.enhancedStatus()).isEmpty();
        assertThat(reply.text()).isEqualTo("250 5.1.1 looks like a status");
    }

    @Test
    void noStatusWithoutOne() {
        assertThat(SmtpReply.of(421, List.of("closing")).enhancedStatus()).isEmpty();
        assertThat(SmtpReply.of(554, List.of("")).enhancedStatus()).isEmpty();
        assertThat(SmtpReply.of(554, List.of("")).text()).isEqualTo("554");
    }

    @Test
    void localRepliesReadLikeRemoteOnes() {
        SmtpReply reply = SmtpReply.local(552, "5.3.4", "message too big");

        assertThat(reply.text()).isEqualTo("552 5.3.4 message too big");
        assertThat(reply.enhancedStatus()).contains("5.3.4");
    }

    @Test
    void extensionsFromAnEhloReply() {
        Extensions extensions = Extensions.fromEhlo(SmtpReply.of(250,
                List.of("mx.test greets relay.test", "pipelining", "SIZE 35882577", "AUTH PLAIN LOGIN", "STARTTLS")));

        assertThat(extensions.has("PIPELINING")).isTrue();
        assertThat(extensions.has("starttls")).isTrue();
        assertThat(extensions.parameters("AUTH")).contains("PLAIN LOGIN");
        assertThat(extensions.sizeLimit()).isEqualTo(OptionalLong.of(35882577));
        assertThat(extensions.has("mx.test")).isFalse();
    }

    @Test
    void sizeWithoutALimit() {
        assertThat(new Extensions(Map.of("SIZE", "")).sizeLimit()).isEmpty();
        assertThat(new Extensions(Map.of("SIZE", "0")).sizeLimit()).isEmpty();
        assertThat(new Extensions(Map.of("SIZE", "lots")).sizeLimit()).isEmpty();
        assertThat(Extensions.NONE.sizeLimit()).isEmpty();
    }
}
