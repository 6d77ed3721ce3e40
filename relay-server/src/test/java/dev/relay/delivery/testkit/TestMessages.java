package dev.relay.delivery.testkit;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientAddress;
import dev.relay.smtp.client.OutboundMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Outbound messages from strings and bytes, for tests. */
public final class TestMessages {

    /** A small message's content: a header block and one line. */
    public static final String SMALL = "Subject: test\r\nFrom: <sender@origin.test>\r\n\r\nHello.\r\n";

    private TestMessages() {}

    /** A small message with CRLF line ends. */
    public static OutboundMessage message(String sender, String body, String... recipients) {
        return message(sender, body.getBytes(StandardCharsets.UTF_8), MailParameters.NONE, recipients);
    }

    public static OutboundMessage message(String sender, byte[] body, MailParameters parameters, String... recipients) {
        List<RecipientAddress> to = Arrays.stream(recipients).map(RecipientAddress::of).toList();
        return message(sender, body, parameters, to);
    }

    public static OutboundMessage message(String sender, byte[] body, MailParameters parameters, List<RecipientAddress> to) {
        byte[] copy = body.clone();
        return new OutboundMessage(sender, to, parameters, copy.length, () -> new ByteArrayInputStream(copy));
    }

    /** A header block and a body of {@code lines} numbered lines, CRLF throughout. */
    public static String text(String subject, int lines) {
        StringBuilder out = new StringBuilder("From: a@relay.test\r\nTo: b@mx.test\r\nSubject: ")
                .append(subject).append("\r\n\r\n");
        for (int i = 1; i <= lines; i++) {
            out.append("line ").append(i).append("\r\n");
        }
        return out.toString();
    }

    /**
     * Commits a small message from {@code sender@origin.test} to the queue, arrived at
     * {@code arrival}, and waits until it is durable.
     */
    public static QueueId queue(MessageQueue queue, Instant arrival, String... recipients) throws Exception {
        return queue(queue, arrival, "sender@origin.test", SMALL,
                Arrays.stream(recipients).map(RecipientAddress::of).toList());
    }

    /** Commits this content from this sender to the queue, arrived at {@code arrival}, and waits until it is durable. */
    public static QueueId queue(MessageQueue queue, Instant arrival, String sender, String content,
            List<RecipientAddress> recipients) throws Exception {
        try (MessageDraft draft = queue.newDraft()) {
            draft.write(content.getBytes(StandardCharsets.UTF_8));
            Envelope envelope = new Envelope(sender, recipients, MailParameters.NONE, arrival, "127.0.0.1", "client.test",
                    Optional.empty());
            return draft.commit(envelope).get(10, TimeUnit.SECONDS);
        }
    }
}
