package dev.relay.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A place in the queue's listing order (arrival, then queue id): a page of a listing ends at
 * its last message's cursor and the next page starts after it. It stays valid when that
 * message leaves the queue meanwhile, since it names a position, not a message.
 *
 * <p>Its text form, {@code SECONDS-NANOS-ID} (the arrival since the epoch, then the queue id),
 * is what the admin API and {@code queue list --after} pass around; users copy it, never build it.
 */
public record QueueCursor(Instant arrival, QueueId id) implements Comparable<QueueCursor> {
    public QueueCursor {
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(id, "id");
    }

    /** The cursor just after {@code message}. */
    public static QueueCursor of(QueuedMessage message) {
        return new QueueCursor(message.envelope().arrival(), message.id());
    }

    /** Reads the text form; empty when {@code text} is not one. */
    public static Optional<QueueCursor> parse(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(parts[0]);
            int nanos = Integer.parseInt(parts[1]);
            if (nanos < 0 || nanos > 999_999_999) {
                return Optional.empty();
            }
            return QueueId.parse(parts[2]).map(id -> new QueueCursor(Instant.ofEpochSecond(seconds, nanos), id));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code message} comes after this place in the listing order. */
    public boolean precedes(QueuedMessage message) {
        return compareTo(of(message)) < 0;
    }

    @Override
    public int compareTo(QueueCursor other) {
        int byArrival = arrival.compareTo(other.arrival);
        return byArrival != 0 ? byArrival : id.compareTo(other.id);
    }

    @Override
    public String toString() {
        return arrival.getEpochSecond() + "-" + arrival.getNano() + "-" + id.value();
    }
}
