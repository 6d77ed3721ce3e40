package dev.relay.smtp.client;

import dev.relay.queue.BodyType;
import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One MAIL/RCPT/DATA transaction on an open {@link SmtpConnection}, as a chain of steps on the
 * event loop. Per recipient: 2xx delivered, 4xx temporary, 5xx permanent; a reply to MAIL,
 * DATA or the end of data applies to every recipient still open. Checks that need no
 * round trip (SIZE, SMTPUTF8, BINARYMIME, REQUIRETLS) come first, and the body is opened before anything
 * is sent, so a local problem never leaves a transaction half done on the wire.
 */
final class MailTransaction {

    private static final RecipientVerdict UNANSWERED = new RecipientVerdict.Unanswered();

    private final SmtpConnection connection;
    private final OutboundMessage message;
    private final Extensions extensions;
    private final RecipientVerdict[] results;
    private final List<Integer> accepted = new ArrayList<>();
    private InputStream body;
    private boolean bodyHandedOver;

    MailTransaction(SmtpConnection connection, OutboundMessage message) {
        this.connection = connection;
        this.message = message;
        this.extensions = connection.extensions();
        this.results = new RecipientVerdict[message.recipients().size()];
    }

    static TransactionOutcome failedBeforeStart(SessionInfo session, ConnectionFailure failure, OutboundMessage message) {
        RecipientVerdict[] results = new RecipientVerdict[message.recipients().size()];
        Arrays.fill(results, UNANSWERED);
        return new TransactionOutcome.Failed(session, failure, List.of(results));
    }

    CompletableFuture<TransactionOutcome> run() {
        Optional<RecipientVerdict> refusal = checkRemoteCanTakeIt();
        if (refusal.isPresent()) {
            return concludeAll(refusal.get());
        }
        if (!EnvelopeCommands.safeForWire(message.sender())) {
            return concludeAll(new RecipientVerdict.AddressNotSendable(true));
        }
        List<Integer> toSend = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            if (EnvelopeCommands.safeForWire(message.recipients().get(i).address())) {
                toSend.add(i);
            } else {
                results[i] = new RecipientVerdict.AddressNotSendable(false);
            }
        }
        if (toSend.isEmpty()) {
            return concluded();
        }
        try {
            body = message.body().open();
        } catch (IOException | RuntimeException e) {
            return concludeAll(new RecipientVerdict.BodyUnreadable(String.valueOf(e.getMessage())));
        }
        CompletableFuture<TransactionOutcome> outcome = extensions.has("PIPELINING") ? pipelined(toSend) : lockStep(toSend);
        return outcome.handle((result, error) -> {
            if (!bodyHandedOver) {
                closeQuietly(body);
            }
            if (error == null) {
                return result;
            }
            ConnectionFailure failure = ConnectionFailureException.unwrap(error, Stage.MAIL);
            connection.handler().fail(failure); // usually broken already; if not (a bug), replies are out of step now
            return failed(connection.handler().failure().orElse(failure));
        });
    }

    /** Refuses here, without a round trip, what the remote's EHLO says it cannot take. */
    private Optional<RecipientVerdict> checkRemoteCanTakeIt() {
        var limit = extensions.sizeLimit();
        if (limit.isPresent() && message.size() > limit.getAsLong()) {
            return Optional.of(new RecipientVerdict.TooBig(message.size(), limit.getAsLong()));
        }
        if (EnvelopeCommands.needsSmtpUtf8(message) && !extensions.has("SMTPUTF8")) {
            return Optional.of(new RecipientVerdict.ExtensionMissing(RecipientVerdict.NeededExtension.SMTPUTF8));
        }
        if (message.parameters().body() == BodyType.BINARY_MIME
                && !(extensions.has("CHUNKING") && extensions.has("BINARYMIME"))) {
            return Optional.of(new RecipientVerdict.ExtensionMissing(RecipientVerdict.NeededExtension.BINARYMIME));
        }
        if (message.parameters().requireTls() && !message.sender().isEmpty()
                && !(extensions.has("REQUIRETLS") && connection.session().tls().isPresent())) {
            // RFC 8689 4.2.1: REQUIRETLS announced after STARTTLS, or the message does not go; but a
            // bounce (null sender) is not discarded for lack of it (section 5)
            return Optional.of(new RecipientVerdict.ExtensionMissing(RecipientVerdict.NeededExtension.REQUIRETLS));
        }
        return Optional.empty();
    }

    private boolean binary() {
        return message.parameters().body() == BodyType.BINARY_MIME;
    }

    // ---------------------------------------------------------------- envelope

    /**
     * RFC 2920: MAIL, every RCPT and DATA in one write, after the RSET that ends the previous
     * transaction on a reused connection; replies judged in order.
     */
    private CompletableFuture<TransactionOutcome> pipelined(List<Integer> toSend) {
        boolean reset = connection.takeResetPending();
        List<String> lines = new ArrayList<>(toSend.size() + 3);
        List<Stage> stages = new ArrayList<>(toSend.size() + 3);
        if (reset) {
            lines.add("RSET");
            stages.add(Stage.RSET);
        }
        int first = lines.size();
        lines.add(EnvelopeCommands.mailFrom(message, extensions));
        stages.add(Stage.MAIL);
        for (int index : toSend) {
            lines.add(EnvelopeCommands.rcptTo(message.recipients().get(index), extensions));
            stages.add(Stage.RCPT);
        }
        if (!binary()) {
            lines.add("DATA");
            stages.add(Stage.DATA);
        }
        connection.handler().stage(stages.getFirst());
        List<CompletableFuture<SmtpReply>> replies = connection.pipeline(lines, stages);
        CompletableFuture<SmtpReply> last = replies.getLast();
        return last.handle((ignored, error) -> error).thenCompose(error -> {
            if (reset) {
                SmtpReply rset = arrived(replies.getFirst());
                if (rset != null && !rset.isPositive()) {
                    // whatever the server made of the commands after it, we are out of step: give up
                    // the connection before any of the message goes out
                    connection.outOfStep();
                    return CompletableFuture.completedFuture(failed(new ConnectionFailure.Rejected(Stage.RSET, rset)));
                }
            }
            // take what did arrive, also when the connection broke halfway
            SmtpReply mail = arrived(replies.get(first));
            if (mail != null && !mail.isPositive()) {
                fillOpen(fromServer(mail));
            }
            for (int i = 0; i < toSend.size(); i++) {
                SmtpReply rcpt = arrived(replies.get(first + i + 1));
                if (rcpt != null && mail != null && mail.isPositive()) {
                    judgeRcpt(toSend.get(i), rcpt);
                }
            }
            if (error != null) {
                return failedFuture(error);
            }
            if (binary()) {
                return accepted.isEmpty() ? CompletableFuture.completedFuture(concludedValue()) : bdat();
            }
            SmtpReply data = last.join();
            if (!mail.isPositive() || accepted.isEmpty()) {
                // RFC 2920 3.1: a server that still says 354 gets an empty message, ended at once
                return data.code() == 354 ? endEmptyData() : CompletableFuture.completedFuture(concludedValue());
            }
            return afterDataCommand(data);
        });
    }

    private CompletableFuture<TransactionOutcome> lockStep(List<Integer> toSend) {
        connection.handler().stage(Stage.MAIL);
        return connection.command(EnvelopeCommands.mailFrom(message, extensions), Stage.MAIL).thenCompose(mail -> {
            if (!mail.isPositive()) {
                fillOpen(fromServer(mail));
                return CompletableFuture.completedFuture(concludedValue());
            }
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int index : toSend) {
                chain = chain.thenCompose(v -> {
                    connection.handler().stage(Stage.RCPT);
                    return connection.command(EnvelopeCommands.rcptTo(message.recipients().get(index), extensions), Stage.RCPT)
                            .thenAccept(rcpt -> judgeRcpt(index, rcpt));
                });
            }
            return chain.thenCompose(v -> {
                if (accepted.isEmpty()) {
                    return CompletableFuture.completedFuture(concludedValue());
                }
                if (binary()) {
                    return bdat();
                }
                connection.handler().stage(Stage.DATA);
                return connection.command("DATA", Stage.DATA).thenCompose(this::afterDataCommand);
            });
        });
    }

    private void judgeRcpt(int index, SmtpReply rcpt) {
        if (rcpt.isPositive()) {
            accepted.add(index);
        } else {
            results[index] = fromServer(rcpt);
            noteClosing(rcpt);
        }
    }

    // ---------------------------------------------------------------- content

    private CompletableFuture<TransactionOutcome> afterDataCommand(SmtpReply data) {
        if (data.code() == 354) {
            return sendContent(new DotStuffingInput(body, StoredBodyInput.chunkFor(message.size())));
        }
        if (data.isPositive() || data.isIntermediate()) {
            // the server is somewhere we did not ask it to go: finish with it after this
            connection.outOfStep();
            fillOpen(new RecipientVerdict.UnexpectedDataReply(data));
        } else {
            fillOpen(fromServer(data));
        }
        return CompletableFuture.completedFuture(concludedValue());
    }

    private CompletableFuture<TransactionOutcome> bdat() {
        return sendContent(new BdatInput(body, message.size()));
    }

    /** Writes the content; the final reply may come early (a server refusing mid-body), which ends the transaction too. */
    private CompletableFuture<TransactionOutcome> sendContent(ChunkedInput<ByteBuf> content) {
        ClientChannelHandler.Pending end = connection.handler().expectLater(Stage.DATA_END);
        bodyHandedOver = true;
        CompletableFuture<Void> written = connection.writeBody(content);
        written.whenComplete((v, error) -> {
            if (error == null) {
                connection.handler().stage(Stage.DATA_END);
                connection.handler().ready(end);
            }
        });
        return end.future.thenApply(reply -> {
            if (!written.isDone()) {
                connection.outOfStep(); // replied before the end of data: the rest of our body is noise to it
            }
            fillOpen(fromServer(reply));
            return concludedValue();
        });
    }

    private CompletableFuture<TransactionOutcome> endEmptyData() {
        ClientChannelHandler.Pending end = connection.handler().expectLater(Stage.DATA_END);
        bodyHandedOver = true;
        closeQuietly(body);
        connection.writeBody(new DotStuffingInput(InputStream.nullInputStream()))
                .whenComplete((v, error) -> {
                    if (error == null) {
                        connection.handler().ready(end);
                    }
                });
        return end.future.thenApply(reply -> concludedValue());
    }

    // ---------------------------------------------------------------- results

    private void noteClosing(SmtpReply reply) {
        if (reply.code() == 421) {
            connection.outOfStep(); // the server is closing the session
        }
    }

    /** Gives every recipient without a result yet this verdict. */
    private void fillOpen(RecipientVerdict result) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = result;
            }
        }
    }

    /**
     * The server's own reply: its host becomes the DSN's Remote-MTA. A 421 also means the
     * server is closing the session, so the connection goes.
     */
    private RecipientVerdict fromServer(SmtpReply reply) {
        noteClosing(reply);
        return new RecipientVerdict.Replied(reply);
    }

    /** Ends the transaction before anything is sent, with the relay's own verdict for everyone. */
    private CompletableFuture<TransactionOutcome> concludeAll(RecipientVerdict verdict) {
        fillOpen(verdict);
        return CompletableFuture.completedFuture(concludedValue());
    }

    private CompletableFuture<TransactionOutcome> concluded() {
        return CompletableFuture.completedFuture(concludedValue());
    }

    private TransactionOutcome concludedValue() {
        return new TransactionOutcome.Concluded(connection.session(), List.of(results));
    }

    private TransactionOutcome failed(ConnectionFailure failure) {
        RecipientVerdict[] all = results.clone();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) {
                all[i] = UNANSWERED;
            }
        }
        return new TransactionOutcome.Failed(connection.session(), failure, List.of(all));
    }

    private static SmtpReply arrived(CompletableFuture<SmtpReply> reply) {
        return reply.isDone() && !reply.isCompletedExceptionally() ? reply.join() : null;
    }

    private static <T> CompletableFuture<T> failedFuture(Throwable error) {
        return CompletableFuture.failedFuture(error);
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // nothing was read from it that matters any more
        }
    }
}
