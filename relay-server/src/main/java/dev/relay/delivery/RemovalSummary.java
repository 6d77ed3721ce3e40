package dev.relay.delivery;

import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;

/** The words of a message's last log line: what became of its recipients, e.g. {@code 2 delivered, 1 bounced}. */
final class RemovalSummary {
    private RemovalSummary() {}

    static String of(QueuedMessage message) {
        int delivered = 0;
        int bounced = 0;
        int expired = 0;
        for (RecipientStatus status : message.statuses()) {
            switch (status) {
                case RecipientStatus.Delivered d -> delivered++;
                case RecipientStatus.Failed f -> {
                    if (f.outcome().expired()) {
                        expired++;
                    } else {
                        bounced++;
                    }
                }
                case RecipientStatus.Pending p -> { }
                case RecipientStatus.Deferred d -> { }
            }
        }
        StringBuilder words = new StringBuilder();
        append(words, delivered, "delivered");
        append(words, bounced, "bounced");
        append(words, expired, "expired");
        return words.toString();
    }

    private static void append(StringBuilder words, int count, String what) {
        if (count > 0) {
            words.append(words.isEmpty() ? "" : ", ").append(count).append(' ').append(what);
        }
    }
}
