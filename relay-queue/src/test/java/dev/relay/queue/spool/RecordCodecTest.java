package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Reply;
import dev.relay.outcome.Source;
import dev.relay.outcome.TlsFacts;
import dev.relay.queue.BodyType;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "back\\slash", "line\nbreak", "cr\rlf\r\n", "\u0000\u0001\u001f\u007f",
            "trailing space ", "ünïcødé ✓ 例え", "key: value", "\\n literally", "\\x41"})
    void textValuesRoundTripOnOneLine(String value) throws Exception {
        byte[] bytes = TextForm.builder().field("k", value).field("next", "x").toBytes();

        assertThat(new String(bytes, StandardCharsets.UTF_8).lines()).hasSize(2);
        assertThat(TextForm.parse(bytes, 0, bytes.length))
                .containsExactly(new TextForm.Field("k", value), new TextForm.Field("next", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no colon\n", "k: unterminated", "k: bad \\q escape\n", "k: short \\x4\n", "k: end\\\n"})
    void malformedTextIsRejected(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> TextForm.parse(bytes, 0, bytes.length)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void aRecordIsValidOnlyWhereItWasWritten() {
        byte[] payload = "id: ABCDEF\nremoved: completed\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = RecordFormat.encode(RecordType.REMOVE, 7, 4096, payload).array();

        SpoolRecord record = RecordFormat.parse(bytes, 0, bytes.length, 7, 4096);
        assertThat(record).isNotNull();
        assertThat(record.type()).isEqualTo(RecordType.REMOVE);
        assertThat(record.payload()).isEqualTo(payload);
        assertThat(record.pos()).isEqualTo(new RecordPos(7, 4096, bytes.length));

        assertThat(RecordFormat.parse(bytes, 0, bytes.length, 7, 4097)).as("other offset").isNull();
        assertThat(RecordFormat.parse(bytes, 0, bytes.length, 8, 4096)).as("other segment").isNull();
        assertThat(RecordFormat.parse(bytes, 0, bytes.length - 1, 7, 4096)).as("cut short").isNull();
        bytes[RecordFormat.HEADER_SIZE + 3] ^= 1;
        assertThat(RecordFormat.parse(bytes, 0, bytes.length, 7, 4096)).as("flipped bit").isNull();
    }

    @Test
    void stateTextRoundTripsEveryStatus() throws Exception {
        QueueId id = new QueueId("0PQ3C1AB7Z9K2M4N0000");
        Instant at = Instant.parse("2026-03-01T10:00:00.5Z");
        TlsFacts enforced = new TlsFacts(AppliedPolicy.MTA_STS_ENFORCE,
                Optional.of(new TlsFacts.Session("TLSv1.3", "TLS_AES_128_GCM_SHA256", true)));
        MessageState state = new MessageState(List.of(MessageState.PENDING,
                new RecipientStatus.Delivered(at, new Outcome.Delivered(Reply.of(250, EnhancedStatus.SUCCESS, "ok multi"),
                        Source.remote("mx1.example.org", Optional.of("192.0.2.1")), enforced)),
                new RecipientStatus.Deferred(at, new Outcome.Deferred(new Reply(451, Optional.empty(), ""),
                        Source.local(), TlsFacts.none(), Cause.DNS_LOOKUP_FAILED)),
                new RecipientStatus.Deferred(at, new Outcome.Deferred(
                        Reply.of(451, EnhancedStatus.CRYPTOGRAPHIC_FAILURE, "MTA-STS policy not met\\ \u0007"),
                        Source.local(), TlsFacts.without(AppliedPolicy.MTA_STS_ENFORCE), Cause.STS_POLICY_NOT_MET,
                        List.of(new HostProblem("mx1.example.org", Cause.CERTIFICATE_EXPIRED, "expired: on 2026-01-01"),
                                new HostProblem("mx2.example.org", Cause.MX_MISMATCH, "")))),
                new RecipientStatus.Failed(at, new Outcome.Failed(new Reply(550, Optional.empty(), "no: such user"),
                        Source.remote("mx3.example.org", Optional.empty()),
                        new TlsFacts(AppliedPolicy.MTA_STS_TESTING,
                                Optional.of(new TlsFacts.Session("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", false))),
                        Cause.REMOTE_REPLY)),
                new RecipientStatus.Failed(at, new Outcome.Deferred(Reply.of(421, EnhancedStatus.BAD_CONNECTION, "bye"),
                        Source.remote("mx4.example.org", Optional.of("2001:db8::1")), TlsFacts.none(),
                        Cause.CONNECTION_LOST).expire()),
                new RecipientStatus.Failed(at, new Outcome.Failed(Reply.of(556, EnhancedStatus.NULL_MX, "null MX"),
                        Source.local(), TlsFacts.none(), Cause.NULL_MX))), 3, true, true);

        byte[] text = RecordText.state(id, state);
        RecordText.DecodedState decoded = RecordText.parseState(text, 0, text.length);

        assertThat(decoded.id()).isEqualTo(id);
        assertThat(decoded.state()).isEqualTo(state);
    }

    @Test
    void aVersionOneStateReadsItsTextAsAnUnclassifiedReply() throws Exception {
        byte[] text = ("id: 0PQ3C1AB7Z9K2M4N0000\nattempts: 2\nstatus: deferred 2026-03-01T10:00:00Z 451 later\n"
                + "status: failed 2026-03-01T10:00:00Z delivery time expired: still failing after 2 attempts, queue"
                + " lifetime PT2H is over; last reply: 421 4.4.2 closing\nremote-mta: mx.example.org\n"
                + "status: failed 2026-03-01T10:00:00Z 550 5.1.1 no such user\nremote-mta: mx.example.org\n")
                .getBytes(StandardCharsets.UTF_8);

        MessageState state = RecordText.parseState(text, 0, text.length).state();

        assertThat(state.delayWarned()).isFalse();
        assertThat(state.statuses().get(0)).isInstanceOfSatisfying(RecipientStatus.Deferred.class, d -> {
            assertThat(d.outcome().reply().line()).isEqualTo("451 later");
            assertThat(d.outcome().cause()).isEqualTo(Cause.UNCLASSIFIED);
            assertThat(d.outcome().source()).isEqualTo(Source.local());
        });
        assertThat(state.statuses().get(1)).isInstanceOfSatisfying(RecipientStatus.Failed.class, f -> {
            assertThat(f.outcome().expired()).isTrue();
            assertThat(f.outcome().reply()).isEqualTo(Reply.of(421, EnhancedStatus.BAD_CONNECTION, "closing"));
            assertThat(f.outcome().remoteMta()).contains("mx.example.org");
        });
        assertThat(state.statuses().get(2)).isInstanceOfSatisfying(RecipientStatus.Failed.class, f -> {
            assertThat(f.outcome().expired()).isFalse();
            assertThat(f.outcome().status()).isEqualTo(new EnhancedStatus(5, 1, 1));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v: 2\nattempts: 1\nstatus: deferred 2026-03-01T10:00:00Z 451 4.4.1 no cause line\n",
        "v: 2\nattempts: 1\nstatus: deferred 2026-03-01T10:00:00Z not a reply\ncause: local-error\n",
        "v: 2\nattempts: 1\nstatus: failed 2026-03-01T10:00:00Z 451 4.4.1 temporary yet final\ncause: local-error\n",
        "v: 2\nattempts: 1\nstatus: deferred 2026-03-01T10:00:00Z 451 x\ncause: local-error\ntls: no-such-policy\n",
        "v: 2\nattempts: 1\nstatus: deferred 2026-03-01T10:00:00Z 451 x\ncause: local-error\nremote-mta: mx\n",
        "v: 9\nattempts: 0\nstatus: pending\n",
        "attempts: 0\nv: 2\nstatus: pending\n"})
    void aBrokenVersionTwoStateIsCorrupt(String lines) {
        byte[] text = ("id: 0PQ3C1AB7Z9K2M4N0000\n" + lines).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RecordText.parseState(text, 0, text.length)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void aCauseAddedByANewerVersionReadsAsUnclassified() throws Exception {
        byte[] text = ("id: 0PQ3C1AB7Z9K2M4N0000\nv: 2\nattempts: 1\n"
                + "status: deferred 2026-03-01T10:00:00Z 451 4.7.5 later\ncause: something-new\n").getBytes(StandardCharsets.UTF_8);

        RecipientStatus status = RecordText.parseState(text, 0, text.length).state().statuses().getFirst();

        assertThat(status).isInstanceOfSatisfying(RecipientStatus.Deferred.class,
                d -> assertThat(d.outcome().cause()).isEqualTo(Cause.UNCLASSIFIED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-mta: mx.example.org\nstatus: pending\n", "status: pending\nremote-mta: mx.example.org\n"})
    void aRemoteMtaNeedsAStatusThatCanHaveOne(String lines) {
        byte[] text = ("id: 0PQ3C1AB7Z9K2M4N0000\nattempts: 0\n" + lines).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RecordText.parseState(text, 0, text.length)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void theRfc8689FlagsRoundTripAndAreLeftOutWhenNotSet() throws Exception {
        QueueId id = QueueId.parse("1M8P5S4EGW8WN2YW0000").orElseThrow();
        Envelope plain = new Envelope("a@example.com", List.of(RecipientAddress.of("b@example.org")),
                MailParameters.NONE, Instant.parse("2026-05-01T10:00:00Z"), "192.0.2.7", "client.example.com",
                Optional.empty());
        Envelope flagged = new Envelope(plain.sender(), plain.recipients(), plain.parameters().withRequireTls(true),
                plain.arrival(), plain.clientAddress(), plain.heloName(), plain.authenticatedUser(), true);

        byte[] plainText = RecordText.envelope(id, plain, new RecordText.Body(false, 10));
        byte[] flaggedText = RecordText.envelope(id, flagged, new RecordText.Body(false, 10));

        assertThat(new String(plainText, StandardCharsets.UTF_8)).doesNotContain("requiretls").doesNotContain("tls-required");
        assertThat(new String(flaggedText, StandardCharsets.UTF_8)).contains("requiretls: yes\n")
                .contains("tls-required: no\n");
        Envelope plainBack = RecordText.parseEnvelope(plainText, 0, plainText.length).envelope();
        Envelope flaggedBack = RecordText.parseEnvelope(flaggedText, 0, flaggedText.length).envelope();
        assertThat(plainBack).isEqualTo(plain);
        assertThat(plainBack.requireTls()).isFalse();
        assertThat(plainBack.tlsRequiredNo()).isFalse();
        assertThat(flaggedBack).isEqualTo(flagged);
        assertThat(flaggedBack.requireTls()).isTrue();
        assertThat(flaggedBack.tlsRequiredNo()).isTrue();
    }

    @Test
    void messagePayloadKeepsItsPartsApart() throws Exception {
        byte[] body = {0, 1, 2, '\n', (byte) 0xff};
        byte[] payload = MessagePayload.build("env\n".getBytes(), "state\n".getBytes(), body, 0, body.length);

        MessagePayload parts = MessagePayload.parse(payload);
        assertThat(new String(payload, parts.envelopeFrom(), parts.envelopeLength())).isEqualTo("env\n");
        assertThat(new String(payload, parts.stateFrom(), parts.stateLength())).isEqualTo("state\n");
        assertThat(ByteBuffer.wrap(payload, parts.bodyFrom(), parts.bodyLength())).isEqualTo(ByteBuffer.wrap(body));

        MessagePayload rewritten = MessagePayload.parse(parts.withState("newer state\n".getBytes()));
        assertThat(new String(rewritten.bytes(), rewritten.stateFrom(), rewritten.stateLength())).isEqualTo("newer state\n");
        assertThat(ByteBuffer.wrap(rewritten.bytes(), rewritten.bodyFrom(), rewritten.bodyLength()))
                .isEqualTo(ByteBuffer.wrap(body));
        assertThatThrownBy(() -> MessagePayload.parse(new byte[] {0, 0, 0, 9})).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void theTlsReportMarkRoundTripsAndIsLeftOutOnOtherMail() throws Exception {
        QueueId id = new QueueId("0PQ3C1AB7Z9K2M4N0000");
        MailParameters plain = new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, Optional.empty(),
                Optional.empty());
        for (MailParameters parameters : List.of(plain, plain.asTlsReport())) {
            Envelope envelope = new Envelope("tlsrpt@relay.example", List.of(new RecipientAddress("r@example.org",
                    Set.of(), Optional.empty())), parameters, Instant.parse("2026-05-01T10:00:00Z"), "127.0.0.1",
                    "relay.example", Optional.empty());
            byte[] text = RecordText.envelope(id, envelope, new RecordText.Body(false, 10));

            assertThat(RecordText.parseEnvelope(text, 0, text.length).envelope().parameters().tlsReport())
                    .isEqualTo(parameters.tlsReport());
            assertThat(new String(text, StandardCharsets.UTF_8).contains("tlsrpt: yes")).isEqualTo(parameters.tlsReport());
        }
    }
}
