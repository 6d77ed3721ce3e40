package dev.relay.admin;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.queue.spool.MemorySpoolStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A real spool queue kept in memory, and messages committed to it the way the listener does, for the admin route tests. */
final class TestQueues {
    private TestQueues() {}

    static MessageQueue inMemory(Clock clock) {
        MemorySpoolStore.Contents contents = new MemorySpoolStore.Contents();
        contents.usableSpace(1L << 40);
        return MemorySpoolStore.queue(contents, QueueSettings.DEFAULT, clock, QueueEvents.NONE);
    }

    /** Commits a small message that arrived now by {@code clock}. */
    static QueueId commit(MessageQueue queue, Clock clock, String sender, String... recipients) throws Exception {
        Envelope envelope = new Envelope(sender, Arrays.stream(recipients).map(RecipientAddress::of).toList(),
                MailParameters.NONE, clock.instant(), "127.0.0.1", "client.test", Optional.empty());
        try (MessageDraft draft = queue.newDraft()) {
            draft.write("Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            return draft.commit(envelope).get(10, TimeUnit.SECONDS);
        }
    }
}
