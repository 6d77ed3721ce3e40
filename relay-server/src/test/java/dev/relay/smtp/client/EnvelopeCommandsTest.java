package dev.relay.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.TestMessages;
import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCommandsTest {

    private static final Extensions ALL = new Extensions(Map.of("SIZE", "0", "8BITMIME", "", "SMTPUTF8", "", "DSN", ""));

    private static OutboundMessage message(MailParameters parameters) {
        return TestMessages.message("a@relay.test", "abc".getBytes(StandardCharsets.US_ASCII), parameters, "b@mx.test");
    }

    @Test
    void mailFromCarriesOnlyWhatTheRemoteAnnounced() {
        MailParameters parameters = new MailParameters(OptionalLong.of(999), BodyType.EIGHT_BIT_MIME, true,
                Optional.of(DsnReturn.FULL), Optional.of("QID 42"));

        assertThat(EnvelopeCommands.mailFrom(message(parameters), ALL))
                .isEqualTo("MAIL FROM:<a@relay.test> SIZE=3 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=QID+2042");
        assertThat(EnvelopeCommands.mailFrom(message(parameters), Extensions.NONE)).isEqualTo("MAIL FROM:<a@relay.test>");
    }

    @Test
    void requireTlsTravelsOnOnlyToAServerThatAnnouncedIt() {
        MailParameters requireTls = MailParameters.NONE.withRequireTls(true);
        Extensions withRequireTls = new Extensions(Map.of("REQUIRETLS", ""));

        assertThat(EnvelopeCommands.mailFrom(message(requireTls), withRequireTls))
                .isEqualTo("MAIL FROM:<a@relay.test> REQUIRETLS");
        // the transaction refuses such a server before MAIL; a bounce (null sender) may still go there
        assertThat(EnvelopeCommands.mailFrom(message(requireTls), Extensions.NONE)).isEqualTo("MAIL FROM:<a@relay.test>");
        assertThat(EnvelopeCommands.mailFrom(message(MailParameters.NONE), withRequireTls))
                .isEqualTo("MAIL FROM:<a@relay.test>");
    }

    @Test
    void rcptToWithDsnParameters() {
        RecipientAddress all = new RecipientAddress("b@mx.test", Set.of(DsnNotify.DELAY, DsnNotify.FAILURE, DsnNotify.SUCCESS),
                Optional.of("rfc822;b+tag@mx.test"));
        RecipientAddress never = new RecipientAddress("c@mx.test", Set.of(DsnNotify.NEVER), Optional.empty());
        RecipientAddress badOrcpt = new RecipientAddress("d@mx.test", Set.of(), Optional.of("no type here"));

        assertThat(EnvelopeCommands.rcptTo(all, ALL)).isEqualTo("RCPT TO:<b@mx.test> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;b+2Btag@mx.test");
        assertThat(EnvelopeCommands.rcptTo(never, ALL)).isEqualTo("RCPT TO:<c@mx.test> NOTIFY=NEVER");
        assertThat(EnvelopeCommands.rcptTo(badOrcpt, ALL)).isEqualTo("RCPT TO:<d@mx.test>");
        assertThat(EnvelopeCommands.rcptTo(all, Extensions.NONE)).isEqualTo("RCPT TO:<b@mx.test>");
    }

    @Test
    void xtextEncodesPlusEqualsSpaceAndNonAscii() {
        assertThat(EnvelopeCommands.xtext("a+b=c d\u00e9")).isEqualTo("a+2Bb+3Dc+20d+C3+A9");
        assertThat(EnvelopeCommands.xtext("plain!~")).isEqualTo("plain!~");
    }

    @Test
    void nonAsciiAddressNeedsSmtputf8EvenWithoutTheFlag() {
        OutboundMessage ascii = message(MailParameters.NONE);
        OutboundMessage utf8 = TestMessages.message("a@relay.test", new byte[0], MailParameters.NONE, List.of(RecipientAddress.of("j\u00f6@mx.test")));

        assertThat(EnvelopeCommands.needsSmtpUtf8(ascii)).isFalse();
        assertThat(EnvelopeCommands.needsSmtpUtf8(utf8)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.com", "\"quoted\"@example.com"})
    void addressesThatFitTheCommandLineAreSent(String address) {
        assertThat(EnvelopeCommands.safeForWire(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b>\r\nRSET", "a b@example.com", "a@b\u0000"})
    void addressesThatWouldBreakTheCommandLineAreRefused(String address) {
        assertThat(EnvelopeCommands.safeForWire(address)).isFalse();
    }
}
