package dev.relay.dsn;

import dev.relay.queue.DsnNotify;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends DSNs the way the relay sends everything: as new messages in the queue, from the null
 * sender {@code <>} to the original envelope sender (RFC 3461 section 6.2, RFC 5321 section
 * 4.5.5), so a DSN is as durable as any mail and is retried, and can never cause another DSN.
 *
 * <p>The work (reading the original, writing the draft) is blocking I/O and runs on the
 * executor given; the returned future completes once the DSN is durable, on the queue's writer
 * thread, so callbacks on it must be quick.
 *
 * <p><b>The original's body must still be readable.</b> The queue removes a message, body and
 * all, once every recipient is final. Either open the body before recording the final results
 * ({@link MessageQueue#openBody}; an open stream keeps reading after the removal) and use
 * {@link #queue(QueuedMessage, DsnKind, Collection, InputStream)}, or queue the DSN first, from a
 * {@link QueuedMessage} carrying the statuses about to be recorded (a crash in between then
 * means a duplicate DSN rather than a lost one). If the body is gone all the same, the DSN goes
 * out without the original rather than not at all.
 */
public final class BounceQueuer {
    private static final Logger log = LoggerFactory.getLogger(BounceQueuer.class);
    private static final int BUFFER = 64 << 10;

    private final MessageQueue queue;
    private final DsnSettings settings;
    private final Clock clock;
    private final Executor executor;
    private final DsnComposer composer;

    public BounceQueuer(MessageQueue queue, DsnSettings settings, Clock clock, Executor executor) {
        this(queue, settings, clock, executor, new DsnComposer(settings));
    }

    BounceQueuer(MessageQueue queue, DsnSettings settings, Clock clock, Executor executor, DsnComposer composer) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.composer = Objects.requireNonNull(composer, "composer");
    }

    /**
     * Queues one DSN of this kind covering those of the given recipients (indexes into the
     * envelope) that are in its state and asked for it ({@link DsnPolicy#select}), reading the
     * original from the queue.
     *
     * @throws IllegalArgumentException for a recipient index the envelope does not have
     */
    public CompletableFuture<DsnOutcome> queue(QueuedMessage message, DsnKind kind, Collection<Integer> recipients) {
        return queue(message, kind, recipients, Optional.empty());
    }

    /**
     * As {@link #queue(QueuedMessage, DsnKind, Collection)}, reading the original from a stream
     * the caller opened (see the class comment). The stream is closed in every case.
     */
    public CompletableFuture<DsnOutcome> queue(QueuedMessage message, DsnKind kind, Collection<Integer> recipients,
            InputStream original) {
        return queue(message, kind, recipients, Optional.of(original));
    }

    private CompletableFuture<DsnOutcome> queue(QueuedMessage message, DsnKind kind, Collection<Integer> recipients,
            Optional<InputStream> original) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(kind, "kind");
        List<Integer> selected;
        try {
            selected = DsnPolicy.select(message, kind, recipients);
        } catch (RuntimeException e) {
            original.ifPresent(BounceQueuer::closeQuietly);
            throw e;
        }
        if (message.envelope().hasNullSender()) {
            original.ifPresent(BounceQueuer::closeQuietly);
            log.info("dsn suppressed (null sender) id={} kind={} rcpts={}", message.id(), kind.label(),
                    recipients.size());
            return CompletableFuture.completedFuture(
                    new DsnOutcome.Suppressed(message.id(), kind, DsnOutcome.Why.NULL_SENDER));
        }
        if (selected.isEmpty()) {
            original.ifPresent(BounceQueuer::closeQuietly);
            log.debug("dsn not requested id={} kind={} rcpts={}", message.id(), kind.label(), recipients.size());
            return CompletableFuture.completedFuture(
                    new DsnOutcome.Suppressed(message.id(), kind, DsnOutcome.Why.NOT_REQUESTED));
        }
        return CompletableFuture.supplyAsync(() -> compose(message, kind, selected, original), executor)
                .thenCompose(draft -> commit(draft, message, kind, selected))
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        log.warn("dsn failed for={} kind={} rcpts={}: {}", message.id(), kind.label(),
                                selected.size(), rootCause(error).toString());
                    }
                });
    }

    /** A composed DSN, written into a draft and ready to commit. */
    private record Written(MessageDraft draft, Envelope envelope) {}

    private Written compose(QueuedMessage message, DsnKind kind, List<Integer> selected,
            Optional<InputStream> given) {
        Instant now = clock.instant();
        DsnMessage dsn = DsnMessage.of(message, kind, selected, settings, now);
        InputStream original = null;
        MessageDraft draft = null;
        try {
            if (dsn.returnsOriginal()) {
                original = given.isPresent() ? given.get() : openOriginal(message.id());
                if (original == null) {
                    dsn = dsn.withoutOriginal();
                }
            }
            draft = queue.newDraft();
            OutputStream out = new BufferedOutputStream(new DraftOutputStream(draft), BUFFER);
            DsnComposer.Composed composed =
                    composer.compose(dsn, original == null ? InputStream.nullInputStream() : original, out);
            out.flush();
            Envelope envelope = new Envelope(
                    "",
                    // RFC 3461 section 6.2: a DSN itself asks for no DSN
                    List.of(new RecipientAddress(message.envelope().sender(), Set.of(DsnNotify.NEVER), Optional.empty())),
                    // RFC 8689 section 5: a report on a REQUIRETLS message carries its headers, so it
                    // goes under REQUIRETLS too
                    new MailParameters(OptionalLong.empty(), composed.bodyType(), dsn.international(), Optional.empty(),
                            Optional.empty()).withRequireTls(message.envelope().requireTls()),
                    now,
                    "127.0.0.1",
                    settings.hostname(),
                    Optional.empty());
            Written written = new Written(draft, envelope);
            draft = null;
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (draft != null) {
                draft.close(); // discards what was written
            }
            if (original != null) {
                closeQuietly(original);
            } else {
                given.ifPresent(BounceQueuer::closeQuietly);
            }
        }
    }

    /** The original's body, or null when the queue no longer has it. */
    private InputStream openOriginal(QueueId id) throws IOException {
        try {
            return queue.openBody(id);
        } catch (NoSuchFileException e) {
            log.warn("dsn for={}: the original is no longer in the spool; sending the report without it", id);
            return null;
        }
    }

    private CompletableFuture<DsnOutcome> commit(Written written, QueuedMessage message, DsnKind kind,
            List<Integer> selected) {
        CompletableFuture<QueueId> committed;
        try {
            committed = written.draft().commit(written.envelope());
        } catch (RuntimeException e) {
            written.draft().close();
            return CompletableFuture.failedFuture(e);
        }
        return committed.thenApply(id -> {
            String to = message.envelope().sender();
            log.info("dsn queued id={} for={} kind={} rcpts={} to=<{}>", id, message.id(), kind.label(),
                    selected.size(), to);
            return new DsnOutcome.Queued(id, message.id(), kind, selected, to);
        });
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing the original's body: {}", e.toString());
        }
    }
}
