package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
        MessageState state = new MessageState(List.of(MessageState.PENDING,
                new RecipientStatus.Delivered(at, "250 2.0.0 ok\r\nmulti", Optional.of("mx1.example.org")),
                new RecipientStatus.Deferred("", at),
                new RecipientStatus.Deferred("451 4.2.0 busy", at, Optional.of("mx2.example.org")),
                new RecipientStatus.Failed("550 5.1.1 no: such user", at, Optional.of("mx3.example.org")),
                new RecipientStatus.Failed("556 5.1.10 null MX", at)), 3, true, true);

        byte[] text = RecordText.state(id, state);
        RecordText.DecodedState decoded = RecordText.parseState(text, 0, text.length);

        assertThat(decoded.id()).isEqualTo(id);
        assertThat(decoded.state()).isEqualTo(state);
    }

    @Test
    void stateTextWithoutTheNewerFieldsReadsAsUnwarnedAndLocal() throws Exception {
        byte[] text = "id: 0PQ3C1AB7Z9K2M4N0000\nattempts: 1\nstatus: deferred 2026-03-01T10:00:00Z 451 later\n"
                .getBytes(StandardCharsets.UTF_8);

        MessageState state = RecordText.parseState(text, 0, text.length).state();

        assertThat(state.delayWarned()).isFalse();
        assertThat(state.statuses().getFirst().remoteMta()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote-mta: mx.example.org\nstatus: pending\n", "status: pending\nremote-mta: mx.example.org\n"})
    void aRemoteMtaNeedsAStatusThatCanHaveOne(String lines) {
        byte[] text = ("id: 0PQ3C1AB7Z9K2M4N0000\nattempts: 0\n" + lines).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RecordText.parseState(text, 0, text.length)).isInstanceOf(CorruptRecordException.class);
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
}
