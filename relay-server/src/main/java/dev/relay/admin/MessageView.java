package dev.relay.admin;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One queued message as the queue API shows it (JSON via {@link AdminJson}) and the
 * {@code queue} commands print it.
 *
 * @param id the queue id
 * @param arrival when the relay accepted it
 * @param ageSeconds whole seconds since arrival
 * @param sender the reverse path; empty for the null sender
 * @param size body bytes as stored
 * @param state held, active (something due now or being delivered) or deferred
 * @param attempts delivery attempts so far
 * @param nextAttempt the earliest moment an open recipient is tried again; empty when held
 *     or nothing is waiting
 * @param recipients in envelope order
 */
public record MessageView(
        String id,
        Instant arrival,
        long ageSeconds,
        String sender,
        long size,
        State state,
        int attempts,
        Optional<Instant> nextAttempt,
        List<RecipientView> recipients) {

    public MessageView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        recipients = List.copyOf(recipients);
    }

    /** Where a message stands; the names match the {@code relay_queue_messages{state}} gauge. */
    public enum State {
        ACTIVE, DEFERRED, HELD;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param address the recipient as given at RCPT
     * @param state pending, deferred, delivered, failed, or held (open, on a held message)
     * @param lastReason the last remote reply or local reason; empty before the first attempt
     * @param nextAttempt for a deferred recipient, when it is tried again
     * @param finishedAt for a delivered or failed recipient, when that happened
     * @param cause for a deferred or failed recipient, the typed cause of the last attempt
     *     ({@code connect-failed}, {@code certificate-expired}, ...), as the attempt log and the
     *     metrics name it
     */
    public record RecipientView(
            String address, RecipientState state, Optional<String> lastReason, Optional<Instant> nextAttempt,
            Optional<Instant> finishedAt, Optional<String> cause) {
        public RecipientView {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(lastReason, "lastReason");
            Objects.requireNonNull(nextAttempt, "nextAttempt");
            Objects.requireNonNull(finishedAt, "finishedAt");
            Objects.requireNonNull(cause, "cause");
        }
    }

    public enum RecipientState {
        PENDING, DEFERRED, DELIVERED, FAILED, HELD;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The view of {@code message} at {@code now}. */
    public static MessageView of(QueuedMessage message, Instant now) {
        List<RecipientAddress> addresses = message.envelope().recipients();
        List<RecipientView> recipients = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            recipients.add(recipient(addresses.get(i).address(), message.statuses().get(i), message.held()));
        }
        Optional<Instant> next = message.held() ? Optional.empty() : nextAttempt(message, now);
        Instant arrival = message.envelope().arrival();
        return new MessageView(message.id().value(), arrival, Math.max(0, Duration.between(arrival, now).toSeconds()),
                message.envelope().sender(), message.size(), state(message, now), message.attempts(), next, recipients);
    }

    private static RecipientView recipient(String address, RecipientStatus status, boolean held) {
        RecipientView view = switch (status) {
            case RecipientStatus.Pending p -> new RecipientView(address, RecipientState.PENDING, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            case RecipientStatus.Deferred d -> new RecipientView(address, RecipientState.DEFERRED,
                    Optional.of(d.reason()), Optional.of(d.nextAttempt()), Optional.empty(),
                    Optional.of(d.outcome().cause().label()));
            case RecipientStatus.Delivered d -> new RecipientView(address, RecipientState.DELIVERED,
                    Optional.of(d.remoteReply()), Optional.empty(), Optional.of(d.at()), Optional.empty());
            case RecipientStatus.Failed f -> new RecipientView(address, RecipientState.FAILED,
                    Optional.of(f.reason()), Optional.empty(), Optional.of(f.at()), Optional.of(f.outcome().cause().label()));
        };
        // a hold stops open recipients whatever their schedule said; the reason stays worth showing
        return held && !status.isFinal()
                ? new RecipientView(address, RecipientState.HELD, view.lastReason(), Optional.empty(), Optional.empty(),
                        view.cause())
                : view;
    }

    /** Pending recipients are due at once; deferred ones at their time; final ones never. */
    private static Optional<Instant> nextAttempt(QueuedMessage message, Instant now) {
        return message.statuses().stream()
                .<Instant>mapMulti((status, sink) -> {
                    switch (status) {
                        case RecipientStatus.Pending p -> sink.accept(now);
                        case RecipientStatus.Deferred d -> sink.accept(d.nextAttempt());
                        case RecipientStatus.Delivered d -> { }
                        case RecipientStatus.Failed f -> { }
                    }
                })
                .min(Comparator.naturalOrder());
    }

    /** The same rule as the queue's own snapshot, so the list and the gauges agree. */
    private static State state(QueuedMessage message, Instant now) {
        if (message.held()) {
            return State.HELD;
        }
        boolean due = message.statuses().stream().anyMatch(status -> switch (status) {
            case RecipientStatus.Pending p -> true;
            case RecipientStatus.Deferred d -> !d.nextAttempt().isAfter(now);
            case RecipientStatus.Delivered d -> false;
            case RecipientStatus.Failed f -> false;
        });
        return due ? State.ACTIVE : State.DEFERRED;
    }
}
