package dev.relay.dsn;

import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.queue.BodyType;
import dev.relay.queue.Envelope;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a DSN message says, before it becomes bytes: who it goes to, its report, and
 * what it returns of the original.
 *
 * @param kind failure, delay or success
 * @param to the original envelope sender, which the DSN goes to
 * @param date the DSN's Date
 * @param report the machine-readable part
 * @param returned how much of the original goes in the third part
 * @param international whether the original needed SMTPUTF8 (RFC 6531): the DSN then may carry
 *     UTF-8 and returns message/global or message/global-headers (RFC 6533)
 * @param originalBody the original's BODY=, which decides the third part's transfer encoding
 * @param maxLifetime the queue lifetime, for the words of an expiry notice
 */
public record DsnMessage(
        DsnKind kind,
        String to,
        Instant date,
        DsnReport report,
        ReturnForm returned,
        boolean international,
        BodyType originalBody,
        Duration maxLifetime) {

    public DsnMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(to, "to");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a DSN never goes to the null sender");
        }
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(returned, "returned");
        Objects.requireNonNull(originalBody, "originalBody");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
    }

    /**
     * The DSN of this kind for these recipients (indexes into the envelope) of a queued message.
     * It reports them as given: choosing them is {@link DsnPolicy#select}'s job.
     *
     * @throws IllegalArgumentException when the sender is null, there are no recipients, or a
     *     recipient is not in the state this kind reports
     */
    public static DsnMessage of(QueuedMessage message, DsnKind kind, Collection<Integer> recipients,
            DsnSettings settings, Instant now) {
        Envelope envelope = message.envelope();
        if (envelope.hasNullSender()) {
            throw new IllegalArgumentException("message " + message.id() + " has the null sender: no DSN");
        }
        List<RecipientReport> blocks = new ArrayList<>();
        for (int i : recipients.stream().distinct().sorted().toList()) {
            blocks.add(block(message, i, kind, settings, now));
        }
        DsnReport report = new DsnReport(settings.hostname(), envelope.parameters().envelopeId(), envelope.arrival(),
                Optional.of(message.id()), blocks);
        return new DsnMessage(kind, envelope.sender(), now, report,
                settings.returnFor(kind, envelope.parameters(), message.size()), envelope.parameters().smtpUtf8(),
                envelope.parameters().body(), settings.maxLifetime());
    }

    private static RecipientReport block(QueuedMessage message, int index, DsnKind kind, DsnSettings settings,
            Instant now) {
        RecipientAddress recipient = message.envelope().recipients().get(index);
        RecipientStatus status = message.statuses().get(index);
        Optional<Instant> willRetryUntil = Optional.empty();
        Instant lastAttempt;
        Outcome outcome;
        EnhancedStatus code;
        switch (status) {
            case RecipientStatus.Failed failed when kind == DsnKind.FAILURE -> {
                outcome = failed.outcome();
                code = failed.outcome().status();
                lastAttempt = failed.at();
            }
            case RecipientStatus.Deferred deferred when kind == DsnKind.DELAY -> {
                outcome = deferred.outcome();
                code = deferred.outcome().reply().status();
                // the queue keeps no attempt time: a delay notice is made right after the attempt
                lastAttempt = now;
                willRetryUntil = Optional.of(message.envelope().arrival().plus(settings.maxLifetime()));
            }
            case RecipientStatus.Delivered delivered when kind == DsnKind.SUCCESS -> {
                outcome = delivered.outcome();
                code = delivered.outcome().reply().status();
                lastAttempt = delivered.at();
            }
            default -> throw new IllegalArgumentException("recipient " + index + " of message " + message.id()
                    + " is " + status.getClass().getSimpleName() + ": not for a " + kind.label() + " DSN");
        }
        DsnAction action = kind.action();
        return new RecipientReport(recipient.address(), recipient.originalRecipient(), action, action.statusFor(code),
                outcome.remoteMta(), Optional.of(diagnostic(outcome)), Optional.of(lastAttempt), willRetryUntil, outcome);
    }

    /**
     * {@code smtp;} only for what a remote server replied (RFC 3464 2.3.6: the diagnostic
     * "from the remote MTA"). The relay's own verdicts (DNS, a check before sending, a failed
     * connection, MTA-STS) go as an extension type, as Postfix's X-Postfix does, though they
     * are worded as replies.
     */
    private static String diagnostic(Outcome outcome) {
        return (outcome.source() instanceof Source.Remote ? "smtp; " : "X-Relay; ") + outcome.reply().line();
    }

    /** Whether the DSN has a third part at all. */
    public boolean returnsOriginal() {
        return returned != ReturnForm.NONE;
    }

    /** The same DSN without the original, for when it can no longer be read. */
    public DsnMessage withoutOriginal() {
        return new DsnMessage(kind, to, date, report, ReturnForm.NONE, international, originalBody, maxLifetime);
    }
}
