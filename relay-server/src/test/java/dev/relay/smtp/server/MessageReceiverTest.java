package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.RecipientAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageReceiverTest {
    private static final byte[] RECEIVED = "Received: x\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final MessageReceiver.MissingFieldDefaults DEFAULTS = new MessageReceiver.MissingFieldDefaults(
            "Date: D\r\n".getBytes(StandardCharsets.US_ASCII), "Message-ID: <M>\r\n".getBytes(StandardCharsets.US_ASCII));

    private final CapturingQueue queue = new CapturingQueue();

    private MessageReceiver receiver(boolean submission, long maxSize) throws Exception {
        MessageDraft draft = queue.newDraft();
        return new MessageReceiver(draft, RECEIVED, maxSize, true, false,
                submission ? Optional.of(DEFAULTS) : Optional.empty(), 50);
    }

    private String stored(MessageReceiver receiver, String... parts) {
        for (String part : parts) {
            receiver.accept(part.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(receiver.finish()).isInstanceOf(MessageReceiver.Complete.class);
        receiver.draft().commit(new Envelope("a@b", List.of(RecipientAddress.of("c@d")), MailParameters.NONE,
                Instant.EPOCH, "192.0.2.1", "h", Optional.empty())).join();
        return queue.accepted().get(queue.accepted().size() - 1).text();
    }

    @Test
    void relayListenerOnlyPrependsReceived() throws Exception {
        assertThat(stored(receiver(false, 0), "Subject: s\r\n\r\nbody\r\n"))
                .isEqualTo("Received: x\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void submissionAddsMissingFieldsAtTheEndOfTheHeader() throws Exception {
        assertThat(stored(receiver(true, 0), "Subject: s\r\n", "From: a@b\r\n\r", "\nbody\r\n"))
                .isEqualTo("Received: x\r\nSubject: s\r\nFrom: a@b\r\nDate: D\r\nMessage-ID: <M>\r\n\r\nbody\r\n");
    }

    @Test
    void submissionKeepsFieldsThatArePresentWhateverTheirCase() throws Exception {
        assertThat(stored(receiver(true, 0), "DATE: yesterday\r\nmessage-id: <x@y>\r\n\r\nb\r\n"))
                .isEqualTo("Received: x\r\nDATE: yesterday\r\nmessage-id: <x@y>\r\n\r\nb\r\n");
        assertThat(stored(receiver(true, 0), "Subject: a\r\n Date: folded, not a field\r\n\r\n"))
                .contains("Date: D\r\nMessage-ID: <M>\r\n\r\n");
    }

    @Test
    void submissionWithoutBodyOrEmpty() throws Exception {
        assertThat(stored(receiver(true, 0), "Subject: only\r\n"))
                .isEqualTo("Received: x\r\nSubject: only\r\nDate: D\r\nMessage-ID: <M>\r\n");
        assertThat(stored(receiver(true, 0))).isEqualTo("Received: x\r\nDate: D\r\nMessage-ID: <M>\r\n");
        assertThat(stored(receiver(true, 0), "\r\nbody first\r\n"))
                .isEqualTo("Received: x\r\nDate: D\r\nMessage-ID: <M>\r\n\r\nbody first\r\n");
    }

    @Test
    void headerSectionOverTheCapIsRefused() throws Exception {
        MessageReceiver receiver = receiver(true, 0);
        String line = "X-Filler: " + "f".repeat(1000) + "\r\n";
        for (int i = 0; i < 1100; i++) {
            receiver.accept(line.getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(receiver.failure()).hasValueSatisfying(r -> assertThat(r.reply()).isEqualTo(Replies.HEADER_TOO_BIG));
        assertThat(receiver.finish()).isInstanceOf(MessageReceiver.Rejected.class);
        assertThat(queue.openDrafts()).isZero();
    }

    @Test
    void sizeCountsContentOnly() throws Exception {
        MessageReceiver receiver = receiver(false, 10);
        receiver.accept("0123456\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(receiver.failure()).isEmpty();
        receiver.accept("x".getBytes(StandardCharsets.US_ASCII));
        assertThat(receiver.failure()).isEmpty();
        receiver.accept("y".getBytes(StandardCharsets.US_ASCII));
        assertThat(receiver.failure()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(RejectReason.MESSAGE_TOO_BIG));
        assertThat(receiver.size()).isEqualTo(11);
        assertThat(queue.openDrafts()).isZero();
    }

    @Test
    void bareLineBreaksAcrossChunks() throws Exception {
        MessageReceiver split = receiver(false, 0);
        split.accept("a\r".getBytes(StandardCharsets.US_ASCII));
        split.accept("\nb\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(split.finish()).isInstanceOf(MessageReceiver.Complete.class);
        split.discard();

        MessageReceiver trailingCr = receiver(false, 0);
        trailingCr.accept("a\r".getBytes(StandardCharsets.US_ASCII));
        assertThat(trailingCr.finish()).isInstanceOf(MessageReceiver.Rejected.class);

        MessageReceiver crThenText = receiver(false, 0);
        crThenText.accept("a\r".getBytes(StandardCharsets.US_ASCII));
        crThenText.accept("b\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(crThenText.failure()).isPresent();
        assertThat(queue.openDrafts()).isZero();
    }
}
