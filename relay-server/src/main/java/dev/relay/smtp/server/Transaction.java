package dev.relay.smtp.server;

import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The transaction scope of a session: from MAIL to the end of DATA (or the last BDAT), RSET,
 * EHLO/HELO or STARTTLS. Discarding it discards an uncommitted message.
 */
final class Transaction {
    final String sender;
    final MailParameters parameters;
    final List<RecipientAddress> recipients = new ArrayList<>();
    private MessageReceiver receiver;
    private boolean chunked;

    Transaction(String sender, MailParameters parameters) {
        this.sender = sender;
        this.parameters = parameters;
    }

    Optional<MessageReceiver> receiver() {
        return Optional.ofNullable(receiver);
    }

    void startContent(MessageReceiver receiver) {
        this.receiver = receiver;
    }

    /** Content has started (DATA or a first BDAT): no more RCPT. */
    boolean contentStarted() {
        return receiver != null;
    }

    boolean chunked() {
        return chunked;
    }

    void markChunked() {
        chunked = true;
    }

    /** Forgets the receiver without discarding it: its draft now belongs to a commit in flight. */
    MessageReceiver handOver() {
        MessageReceiver handed = receiver;
        receiver = null;
        return handed;
    }

    void discard() {
        if (receiver != null) {
            receiver.discard();
            receiver = null;
        }
    }
}
