package dev.relay.smtp.server;

import dev.relay.concurrent.FutureFailures;
import dev.relay.queue.Admission;
import dev.relay.queue.BodyType;
import dev.relay.queue.Envelope;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.SpoolFullException;
import dev.relay.text.Counts;
import java.io.IOException;
import java.net.InetAddress;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server state machine for one connection (RFC 5321 with the extensions in the EHLO
 * reply). It receives {@link SmtpInput}s from the {@link SmtpFramer} and writes {@link Reply}s.
 * It knows no Netty: {@link SessionHandler} feeds it the channel's events and does the I/O it asks
 * for through {@link SessionIo}, so unit tests drive it with a recording {@code SessionIo}.
 *
 * <p>State lives in two scopes. Connection scope: client address, HELO name, TLS, authenticated
 * user, error count. Transaction scope ({@link Transaction}): sender, recipients, the message
 * being received; it ends with RSET, EHLO/HELO, STARTTLS and after every DATA or last BDAT.
 *
 * <p>Ordering: replies are written in command order and flushed when the input read so far is
 * used up. While the queue commits a message or a password is checked, the framer is held, so
 * pipelined commands wait and the 250 for the message comes before any of their replies. The
 * event loop never blocks: commits complete on the queue's threads and hashing runs on a
 * separate executor, and both hop back here ({@link SessionIo#later}). Every method runs on the
 * session's own thread.
 */
final class SmtpSession {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private enum Phase {
        /** Before the greeting (implicit TLS waits for the handshake). */
        CONNECTED,
        COMMAND,
        /** Inside an AUTH dialogue: the next line is a response, not a command. */
        AUTH_RESPONSE,
        DATA,
        CHUNK,
        /** A commit or an AUTH check is in flight; the framer is held. */
        AWAITING_RESULT,
        /** 220 sent after STARTTLS; waiting for the handshake. */
        TLS_HANDSHAKE,
        CLOSED
    }

    /** A BDAT whose octets are being read; {@code refusal} set when they are read only to be dropped. */
    private record Chunk(long size, boolean last, Optional<Reply> refusal) {}

    private record AuthResult(Optional<String> identity, boolean unavailable) {}

    private final SessionServices services;
    private final SessionIo io;
    private final ListenerPolicy policy;
    private final String hostname;

    private Phase phase = Phase.CONNECTED;
    private boolean draining;

    // connection scope
    private InetAddress client;
    private String clientText = "unknown";
    private InetAddress local = InetAddress.getLoopbackAddress();
    private ConnectionLimiter.Permit permit;
    private String heloName;
    private boolean extended;
    private Optional<String> tls = Optional.empty();
    private Optional<String> authUser = Optional.empty();
    private AuthExchange auth;
    private int errors;

    // transaction scope
    private Transaction transaction;
    private Chunk chunk;

    SmtpSession(SessionServices services, SessionIo io) {
        this.services = services;
        this.io = io;
        this.policy = services.policy();
        this.hostname = services.settings().hostname();
    }

    // ---- connection events ----

    /**
     * A client connected from {@code client} ({@code clientText} as logged) to our address
     * {@code local}: refuse it, greet it, or (implicit TLS) wait for the handshake.
     */
    void connected(InetAddress client, String clientText, InetAddress local) {
        this.client = client;
        this.clientText = clientText;
        this.local = local;
        services.events().connectionOpened(services.listenerName());
        if (services.draining().get()) {
            refuseConnection(Replies.SHUTTING_DOWN, "shutting down");
            return;
        }
        // a smarthost's own application servers may open many sessions from one address (Postfix exempts $mynetworks)
        boolean exempt = services.settings().limits().exemptRelayNetworks() && services.settings().relayNetworks().contains(client);
        switch (services.limiter().tryAcquire(client, exempt)) {
            case ConnectionLimiter.Permit granted -> {
                permit = granted;
                if (!policy.implicitTls()) {
                    greet();
                }
            }
            case ConnectionLimiter.TotalLimitReached full ->
                    refuseConnection(Replies.TOO_MANY_CONNECTIONS, "total connection limit");
            case ConnectionLimiter.ClientLimitReached full ->
                    refuseConnection(Replies.TOO_MANY_FROM_CLIENT, "per-client connection limit");
        }
    }

    /** The connection is gone, whoever closed it. */
    void disconnected() {
        phase = Phase.CLOSED;
        discardTransaction();
        if (permit != null) {
            permit.release();
            permit = null;
        }
        if (client != null) {
            services.events().connectionClosed(services.listenerName());
        }
    }

    /** What the framer made of the client's octets. */
    void input(SmtpInput input) {
        if (input instanceof SmtpInput.CommandLine || input instanceof SmtpInput.BadLine) {
            io.awaitCommand(); // the next line's deadline; DATA moves it
        }
        switch (phase) {
            case COMMAND -> onCommandInput(input);
            case AUTH_RESPONSE -> onAuthResponse(input);
            case DATA, CHUNK -> onBody(input);
            default -> {
                // no input is expected now (the framer is held or the connection is going away)
            }
        }
        closeIfDrainedAndIdle();
    }

    /**
     * The connection failed under us. {@code expected}: an I/O or framing error, a client's
     * doing rather than ours.
     */
    void failed(Throwable cause, boolean expected) {
        // the phase says where a session ended without a reply (a client reporting "lost connection
        // while sending recipient" once could not be explained after the fact without it)
        String where = phase.name().toLowerCase(Locale.ROOT);
        if (expected) {
            log.debug("connection from {} failed in {}: {}", clientText, where, cause.toString());
        } else {
            log.warn("unexpected error in session with {} in {}", clientText, where, cause);
        }
        phase = Phase.CLOSED;
        io.close();
    }

    // ---- shutdown, called on the event loop by SmtpServer ----

    /** Stop taking new transactions: close now if idle, else once the transaction ends. */
    void drain() {
        draining = true;
        closeIfDrainedAndIdle();
    }

    /**
     * The grace period is over: close whatever is going on. A session waiting for its commit
     * is left to send that reply first (then it closes, as draining), so a message that becomes
     * durable is also acknowledged; the server's last resort closes it if the queue never answers.
     */
    void forceClose() {
        draining = true;
        if (phase == Phase.AWAITING_RESULT) {
            return;
        }
        if (phase != Phase.CLOSED) {
            log.info("closing session with {} at shutdown in phase {}", clientText, phase);
            closeWith(Replies.SHUTTING_DOWN);
        }
    }

    // ---- dispatch ----

    private void onCommandInput(SmtpInput input) {
        switch (input) {
            case SmtpInput.CommandLine line -> onCommand(line.text());
            case SmtpInput.BadLine bad -> send(badLine(bad.problem()));
            case SmtpInput.BodyChunk ignored -> { }
            case SmtpInput.BodyEnd ignored -> { }
        }
    }

    private void onCommand(String line) {
        if (Command.isForeign(line)) {
            // a browser, a web form abused cross-protocol, or a proxy probe: nothing it sends is SMTP
            log.info("closing session with {}: not an SMTP command: {}", clientText, printable(line));
            io.discardBuffered();
            closeWith(Replies.FOREIGN_PROTOCOL);
            return;
        }
        Optional<Command> parsed = Command.parse(line);
        if (parsed.isEmpty()) {
            send(Replies.UNKNOWN_COMMAND);
            return;
        }
        Command command = parsed.get();
        if (!command.verb().implemented()) {
            send(Replies.NOT_IMPLEMENTED);
            return;
        }
        switch (command.verb()) {
            case EHLO -> hello(command, true);
            case HELO -> hello(command, false);
            case MAIL -> mail(command);
            case RCPT -> rcpt(command);
            case DATA -> data(command);
            case BDAT -> bdat(command);
            case RSET -> rset(command);
            case NOOP -> send(Replies.OK);
            case QUIT -> closeWith(Replies.BYE);
            case VRFY -> send(command.hasArgument() ? Replies.VRFY_CANNOT : Replies.SYNTAX_VRFY);
            case HELP -> send(Replies.HELP);
            case STARTTLS -> startTls(command);
            case AUTH -> auth(command);
            default -> send(Replies.NOT_IMPLEMENTED);
        }
    }

    // ---- commands ----

    /** EHLO ({@code ehlo}) or HELO: a new start, with or without the extensions. */
    private void hello(Command command, boolean ehlo) {
        if (!HeloNames.acceptable(command.argument())) {
            send(ehlo ? Replies.SYNTAX_EHLO : Replies.SYNTAX_HELO);
            return;
        }
        discardTransaction();
        heloName = command.argument();
        extended = ehlo;
        send(ehlo ? Replies.ehlo(hostname, extensions()) : Replies.helo(hostname));
    }

    private List<String> extensions() {
        List<String> keywords = new ArrayList<>();
        long maxSize = services.settings().limits().maxMessageSize();
        keywords.add("PIPELINING");
        keywords.add(maxSize > 0 ? "SIZE " + maxSize : "SIZE");
        keywords.add("8BITMIME");
        keywords.add("SMTPUTF8");
        keywords.add("ENHANCEDSTATUSCODES");
        if (policy.offersStartTls(tls.isPresent())) {
            keywords.add("STARTTLS");
        }
        if (policy.requireTls(tls.isPresent()) == EnvelopeArguments.RequireTlsOffer.OFFERED) {
            keywords.add("REQUIRETLS"); // RFC 8689: inside TLS only
        }
        if (policy.offersAuth(tls.isPresent())) {
            keywords.add("AUTH " + AuthExchange.MECHANISMS);
        }
        keywords.add("DSN");
        keywords.add("CHUNKING");
        keywords.add("BINARYMIME");
        return keywords;
    }

    private void mail(Command command) {
        if (heloName == null) {
            send(Replies.HELO_FIRST);
            return;
        }
        if (transaction != null) {
            send(Replies.NESTED_MAIL);
            return;
        }
        if (draining) {
            closeWith(Replies.SHUTTING_DOWN);
            return;
        }
        Optional<RejectReason> refusal = policy.refuseMail(tls.isPresent(), authUser.isPresent());
        if (refusal.isPresent()) {
            rejected(refusal.get(), "MAIL before " + (refusal.get() == RejectReason.TLS_REQUIRED ? "STARTTLS" : "AUTH"));
            send(refusal.get() == RejectReason.TLS_REQUIRED ? Replies.TLS_REQUIRED : Replies.AUTH_REQUIRED);
            return;
        }
        long maxSize = services.settings().limits().maxMessageSize();
        switch (EnvelopeArguments.parseMail(command.argument(), maxSize, true, policy.requireTls(tls.isPresent()))) {
            case EnvelopeArguments.Refused refused -> {
                refused.reason().ifPresent(reason -> rejected(reason, "MAIL " + command.argument()));
                send(refused.reply());
            }
            case EnvelopeArguments.Sender sender -> {
                Optional<Reply> unbounceable = senderRefusal(sender.address());
                if (unbounceable.isPresent()) {
                    rejected(RejectReason.ADDRESS_LITERAL, "from=<" + sender.address() + ">");
                    send(unbounceable.get());
                    return;
                }
                if (services.queue().admission() instanceof Admission.Refused full) {
                    rejected(RejectReason.QUEUE_FULL, full.reason());
                    send(Replies.QUEUE_FULL);
                    return;
                }
                transaction = new Transaction(sender.address(), sender.parameters());
                send(Replies.SENDER_OK);
            }
        }
    }

    private void rcpt(Command command) {
        if (transaction == null) {
            send(Replies.NEED_MAIL);
            return;
        }
        if (transaction.contentStarted()) {
            send(Replies.BAD_SEQUENCE);
            return;
        }
        switch (EnvelopeArguments.parseRcpt(command.argument(), transaction.parameters.smtpUtf8())) {
            case EnvelopeArguments.Refused refused -> send(refused.reply());
            case EnvelopeArguments.Recipient recipient -> {
                if (recipient.mailbox().isBarePostmaster()) {
                    send(Replies.NO_LOCAL_MAILBOX);
                    return;
                }
                int maxRecipients = services.settings().limits().maxRecipients();
                if (maxRecipients > 0 && transaction.recipients.size() >= maxRecipients) {
                    rejected(RejectReason.TOO_MANY_RECIPIENTS, "limit " + maxRecipients);
                    send(Replies.TOO_MANY_RECIPIENTS);
                    return;
                }
                if (!policy.mayRelay(client, authUser.isPresent())) {
                    rejected(RejectReason.RELAY_DENIED,
                            "from=<" + transaction.sender + "> to=<" + recipient.mailbox().address() + ">");
                    send(Replies.RELAY_DENIED);
                    return;
                }
                Optional<Reply> undeliverable = recipientRefusal(recipient.mailbox().domain());
                if (undeliverable.isPresent()) {
                    rejected(RejectReason.ADDRESS_LITERAL,
                            "from=<" + transaction.sender + "> to=<" + recipient.mailbox().address() + ">");
                    send(undeliverable.get());
                    return;
                }
                transaction.recipients.add(recipient.address());
                send(Replies.RECIPIENT_OK);
            }
        }
    }

    /** Why the relay will not deliver to this domain ({@link AddressDomains}), if it will not. */
    private Optional<Reply> recipientRefusal(String domain) {
        return switch (AddressDomains.judge(domain, services.settings().limits().addressLiteralRecipients(), local)) {
            case DELIVERABLE -> Optional.empty();
            case LOCAL_LITERAL -> Optional.of(Replies.RECIPIENT_LITERAL_LOCAL);
            case LITERAL_REFUSED -> Optional.of(Replies.RECIPIENT_LITERAL_REFUSED);
            case NUMERIC_DOMAIN -> Optional.of(Replies.RECIPIENT_NUMERIC_DOMAIN);
        };
    }

    /**
     * Why a bounce could not go to this sender, if it could not: by the same rules as recipients,
     * so that no DSN is ever addressed to this relay, a loopback address or a number.
     */
    private Optional<Reply> senderRefusal(String sender) {
        int at = sender.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty(); // the null sender gets no bounce
        }
        return switch (AddressDomains.judge(sender.substring(at + 1), services.settings().limits().addressLiteralRecipients(),
                local)) {
            case DELIVERABLE -> Optional.empty();
            case LOCAL_LITERAL -> Optional.of(Replies.SENDER_LITERAL_LOCAL);
            case LITERAL_REFUSED -> Optional.of(Replies.SENDER_LITERAL_REFUSED);
            case NUMERIC_DOMAIN -> Optional.of(Replies.SENDER_NUMERIC_DOMAIN);
        };
    }

    private void data(Command command) {
        if (command.hasArgument()) {
            send(Replies.SYNTAX_DATA);
            return;
        }
        Optional<Reply> refusal = contentRefusal();
        if (refusal.isEmpty() && transaction.chunked()) {
            refusal = Optional.of(Replies.DATA_AFTER_BDAT);
        } else if (refusal.isEmpty() && transaction.parameters.body() == BodyType.BINARY_MIME) {
            refusal = Optional.of(Replies.BINARYMIME_NEEDS_BDAT);
        }
        if (refusal.isEmpty()) {
            refusal = openReceiver(false);
        }
        if (refusal.isPresent()) {
            int ahead = io.buffered();
            if (ahead > 0) {
                // RFC 2920: DATA ends a pipelined group, so what came with it is message content;
                // read as commands it could start a transaction of its own (Postfix closes too)
                io.discardBuffered();
                log.info("closing session with {}: DATA refused with {} and {} octets of content sent ahead",
                        clientText, refusal.get().code(), ahead);
                closeWith(refusal.get());
                return;
            }
            send(refusal.get());
            return;
        }
        send(Replies.START_MAIL_INPUT);
        phase = Phase.DATA;
        io.expectData();
        io.awaitContent();
    }

    /** BDAT size [LAST] (RFC 3030). Once the syntax is right, the octets are always read, even when refused. */
    private void bdat(Command command) {
        String[] words = command.argument().split(" ", -1);
        boolean syntaxOk = words.length >= 1 && words.length <= 2
                && !words[0].isEmpty() && words[0].length() <= 18 && words[0].chars().allMatch(c -> c >= '0' && c <= '9')
                && (words.length == 1 || words[1].equalsIgnoreCase("LAST"));
        if (!syntaxOk) {
            // how many octets follow is unknown, so the chunk cannot be told from commands: read
            // as commands, its content could start a transaction of its own
            log.info("closing session with {}: BDAT with an unreadable size: {}", clientText, printable(command.argument()));
            io.discardBuffered();
            closeWith(Replies.SYNTAX_BDAT);
            return;
        }
        long size = Long.parseLong(words[0]);
        boolean last = words.length == 2;
        Optional<Reply> refusal = contentRefusal();
        if (refusal.isEmpty() && !transaction.contentStarted()) {
            refusal = openReceiver(true);
            if (refusal.isEmpty()) {
                transaction.markChunked();
            }
        }
        chunk = new Chunk(size, last, refusal);
        if (size == 0) {
            endOfChunk();
            return;
        }
        phase = Phase.CHUNK;
        io.expectChunk(size);
        io.awaitContent();
    }

    private Optional<Reply> contentRefusal() {
        if (transaction == null) {
            return Optional.of(Replies.NEED_MAIL);
        }
        if (transaction.recipients.isEmpty()) {
            return Optional.of(Replies.NO_VALID_RECIPIENTS);
        }
        return Optional.empty();
    }

    private void rset(Command command) {
        if (command.hasArgument()) {
            send(Replies.SYNTAX_RSET);
            return;
        }
        discardTransaction();
        send(Replies.RESET);
    }

    private void startTls(Command command) {
        if (tls.isPresent()) {
            send(Replies.TLS_ALREADY_ACTIVE);
            return;
        }
        if (!policy.offersStartTls(false)) {
            send(Replies.STARTTLS_UNAVAILABLE);
            return;
        }
        if (command.hasArgument()) {
            send(Replies.SYNTAX_STARTTLS);
            return;
        }
        // RFC 3207 5 / CVE-2011-0411: anything the client sent after STARTTLS in clear text must
        // not be read as if it came over TLS
        int dropped = io.discardBuffered();
        if (dropped > 0) {
            log.warn("discarded {} octets pipelined after STARTTLS by {}", dropped, clientText);
        }
        discardTransaction();
        heloName = null;
        extended = false;
        phase = Phase.TLS_HANDSHAKE;
        io.startTls(Replies.READY_FOR_TLS);
    }

    private void auth(Command command) {
        if (!policy.offersAuth(tls.isPresent())) {
            send(tls.isEmpty() && policy.offersAuthAfterStartTls() ? Replies.TLS_REQUIRED : Replies.AUTH_UNAVAILABLE_HERE);
            return;
        }
        if (!extended) {
            send(Replies.EHLO_FIRST);
            return;
        }
        if (authUser.isPresent()) {
            send(Replies.ALREADY_AUTHENTICATED);
            return;
        }
        if (transaction != null) {
            send(Replies.AUTH_IN_TRANSACTION);
            return;
        }
        auth = new AuthExchange();
        authStep(auth.start(command.argument()));
    }

    private void onAuthResponse(SmtpInput input) {
        switch (input) {
            case SmtpInput.CommandLine line -> authStep(auth.respond(line.text()));
            case SmtpInput.BadLine bad -> {
                endAuth();
                send(badLine(bad.problem()));
            }
            case SmtpInput.BodyChunk ignored -> { }
            case SmtpInput.BodyEnd ignored -> { }
        }
    }

    private void authStep(AuthExchange.Step step) {
        switch (step) {
            case AuthExchange.Challenge challenge -> {
                phase = Phase.AUTH_RESPONSE;
                send(Replies.authChallenge(challenge.base64()));
            }
            case AuthExchange.Fail fail -> {
                endAuth();
                send(fail.reply());
            }
            case AuthExchange.Verify verify -> verify(verify.username(), verify.password());
        }
    }

    private void verify(String username, char[] password) {
        phase = Phase.AWAITING_RESULT;
        io.hold(SmtpFramer.Hold.AWAITING_RESULT);
        try {
            services.blockingExecutor().execute(() -> {
                AuthResult result;
                try {
                    result = new AuthResult(services.authenticator().authenticate(username, password), false);
                } catch (RuntimeException e) {
                    log.warn("authenticator failed for {}", printable(username), e);
                    result = new AuthResult(Optional.empty(), true);
                } finally {
                    Arrays.fill(password, '\0');
                }
                AuthResult outcome = result;
                io.later(() -> authenticated(username, outcome));
            });
        } catch (RejectedExecutionException busy) {
            Arrays.fill(password, '\0');
            authenticated(username, new AuthResult(Optional.empty(), true));
        }
    }

    private void authenticated(String username, AuthResult result) {
        if (phase == Phase.CLOSED) {
            return;
        }
        endAuth();
        if (result.unavailable()) {
            send(Replies.AUTH_UNAVAILABLE);
        } else if (result.identity().isPresent()) {
            authUser = result.identity();
            log.info("AUTH succeeded user={} client={}", printable(authUser.get()), clientText);
            send(Replies.AUTH_SUCCEEDED);
        } else {
            log.info("AUTH failed user={} client={}", printable(username), clientText);
            send(Replies.AUTH_FAILED);
        }
        resume(SmtpFramer.Hold.AWAITING_RESULT);
    }

    private void endAuth() {
        auth = null;
        phase = Phase.COMMAND;
    }

    // ---- message content ----

    /** Admission check, new draft, receiver. Empty when the transaction may take content. */
    private Optional<Reply> openReceiver(boolean chunked) {
        if (services.queue().admission() instanceof Admission.Refused full) {
            rejected(RejectReason.QUEUE_FULL, full.reason());
            return Optional.of(Replies.QUEUE_FULL);
        }
        MessageDraft draft;
        try {
            draft = services.queue().newDraft();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot start a message for {}: {}", clientText, e.toString());
            services.events().messageRejected(RejectReason.QUEUE_ERROR);
            return Optional.of(Replies.QUEUE_ERROR);
        }
        ZonedDateTime now = ZonedDateTime.now(services.clock());
        List<RecipientAddress> recipients = transaction.recipients;
        TraceFields.Stamp stamp = new TraceFields.Stamp(heloName, client, hostname, protocol(), tls, draft.id(),
                recipients.size() == 1 ? Optional.of(recipients.get(0).address()) : Optional.empty(), now);
        Optional<MessageReceiver.MissingFieldDefaults> defaults = policy.requiresAuth()
                ? Optional.of(new MessageReceiver.MissingFieldDefaults(
                        TraceFields.dateField(now), TraceFields.messageIdField(draft.id(), hostname)))
                : Optional.empty();
        boolean binary = transaction.parameters.body() == BodyType.BINARY_MIME;
        transaction.startContent(new MessageReceiver(draft, TraceFields.received(stamp),
                services.settings().limits().maxMessageSize(), !binary, chunked && !binary, defaults,
                services.settings().limits().maxReceivedHeaders()));
        return Optional.empty();
    }

    private String protocol() {
        if (!extended) {
            return "SMTP";
        }
        return "ESMTP" + (tls.isPresent() ? "S" : "") + (authUser.isPresent() ? "A" : "");
    }

    private void onBody(SmtpInput input) {
        switch (input) {
            case SmtpInput.BodyChunk body -> {
                io.contentReceived(body.length());
                if (chunk == null || chunk.refusal().isEmpty()) {
                    transaction.receiver().orElseThrow().accept(body.array(), body.offset(), body.length());
                }
            }
            case SmtpInput.BodyEnd end -> {
                Phase ended = phase;
                phase = Phase.COMMAND;
                io.awaitCommand();
                if (ended == Phase.DATA) {
                    finishMessage();
                } else {
                    endOfChunk();
                }
            }
            case SmtpInput.CommandLine ignored -> { }
            case SmtpInput.BadLine ignored -> { }
        }
    }

    private void endOfChunk() {
        Chunk done = chunk;
        chunk = null;
        if (done.refusal().isPresent()) {
            if (transaction != null && !transaction.recipients.isEmpty()) {
                discardTransaction(); // the queue refused: this transaction cannot succeed
            }
            send(done.refusal().get());
            return;
        }
        Optional<MessageReceiver.Rejected> failure = transaction.receiver().orElseThrow().failure();
        if (failure.isPresent()) {
            rejected(failure.get().reason(), "in BDAT from=<" + transaction.sender + ">");
            discardTransaction();
            send(failure.get().reply());
            return;
        }
        if (!done.last()) {
            send(Replies.chunkReceived(done.size()));
            return;
        }
        finishMessage();
    }

    /** End of content: reject, or commit and reply when the queue says the message is durable. */
    private void finishMessage() {
        Transaction finished = transaction;
        MessageReceiver receiver = finished.receiver().orElseThrow();
        MessageReceiver.Outcome outcome = receiver.finish();
        if (outcome instanceof MessageReceiver.Rejected rejection) {
            rejected(rejection.reason(), "from=<" + finished.sender + "> size=" + receiver.size());
            discardTransaction();
            send(rejection.reply());
            return;
        }
        if (services.queue().admission() instanceof Admission.Refused full) {
            rejected(RejectReason.QUEUE_FULL, full.reason());
            discardTransaction();
            send(Replies.QUEUE_FULL);
            return;
        }
        long size = receiver.size();
        Envelope envelope = new Envelope(finished.sender, finished.recipients, finished.parameters,
                services.clock().instant(), clientText, heloName, authUser, receiver.tlsRequiredNo());
        transaction = null;
        finished.handOver();
        phase = Phase.AWAITING_RESULT;
        io.hold(SmtpFramer.Hold.COMMITTING);
        CompletableFuture<QueueId> commit;
        try {
            commit = receiver.draft().commit(envelope);
        } catch (RuntimeException e) {
            commit = CompletableFuture.failedFuture(e);
        }
        // always hop back to the session's thread, even if the future is already complete
        commit.whenComplete((id, error) -> io.later(() -> committed(envelope, receiver, size, id, error)));
    }

    private void committed(Envelope envelope, MessageReceiver receiver, long size, QueueId id, Throwable error) {
        // no room: nothing of the message was written, and the client should try later (452)
        boolean full = error != null && FutureFailures.cause(error) instanceof SpoolFullException;
        if (error != null) {
            receiver.discard();
            log.warn("queueing a message from {} failed: {}", clientText, FutureFailures.cause(error).getMessage());
            services.events().messageRejected(full ? RejectReason.QUEUE_FULL : RejectReason.QUEUE_ERROR);
        } else {
            if (log.isInfoEnabled()) {
                // concatenated: one line per message, and the placeholder form boxes and scans eight arguments
                log.info("accepted id=" + id.value()
                        + " from=<" + envelope.sender() + "> rcpts=" + envelope.recipients().size()
                        + " size=" + size + " client=" + clientText
                        + " tls=" + tls.orElse("none")
                        + " auth=" + authUser.map(SmtpSession::printable).orElse("none")
                        + " listener=" + services.listenerName());
            }
            services.events().messageAccepted(services.listenerName(), size);
            if (envelope.requireTls()) {
                services.events().requireTlsAccepted(services.listenerName());
            }
        }
        if (phase == Phase.CLOSED) {
            if (error == null) {
                log.info("client {} left before the reply for {}", clientText, id);
            }
            return;
        }
        phase = Phase.COMMAND;
        send(error == null ? Replies.queued(id) : full ? Replies.QUEUE_FULL : Replies.QUEUE_ERROR);
        resume(SmtpFramer.Hold.COMMITTING);
    }

    /** Ends a wait for a result: flush its reply, then go on with pipelined input. */
    private void resume(SmtpFramer.Hold awaited) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (draining && isIdle()) {
            closeWith(Replies.SHUTTING_DOWN);
            return;
        }
        io.awaitCommand(); // the client waited for us
        io.release(awaited);
    }

    // ---- replies, errors, closing ----

    /** Writes a reply (flushed when the input is drained). Every 5xx counts against the error limit. */
    private void send(Reply reply) {
        if (phase == Phase.CLOSED) {
            return;
        }
        io.write(reply);
        if (reply.isPermanentFailure()) {
            errors++;
            int maxErrors = services.settings().limits().maxErrors();
            if (maxErrors > 0 && errors >= maxErrors) {
                log.info("closing session with {}: {}", clientText, Counts.of(errors, "error"));
                closeWith(Replies.TOO_MANY_ERRORS);
            }
        }
    }

    private void closeWith(Reply reply) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        discardTransaction();
        io.closeAfter(reply);
    }

    private void refuseConnection(Reply reply, String why) {
        log.info("refused connection from {} on {}: {}", clientText, services.listenerName(), why);
        if (policy.implicitTls()) {
            // a clear-text reply means nothing to a client that starts with a TLS handshake
            phase = Phase.CLOSED;
            io.close();
        } else {
            closeWith(reply);
        }
    }

    private void greet() {
        phase = Phase.COMMAND;
        io.awaitCommand();
        services.events().sessionStarted(services.listenerName());
        io.writeAndFlush(Replies.greeting(hostname));
    }

    /** The idle timer fired: nothing came from the client for the current timeout. */
    void idle() {
        switch (phase) {
            case AWAITING_RESULT, CLOSED -> {
                // we are the slow side, not the client
            }
            case CONNECTED, TLS_HANDSHAKE -> {
                phase = Phase.CLOSED;
                io.close();
            }
            default -> {
                if (services.settings().limits().perRecordDeadline()) {
                    // the deadline owns these phases; it always falls due no later than the idle
                    // timer, and two timers racing would make the reply a matter of luck
                    return;
                }
                log.info("timeout in {} with {}", phase.name().toLowerCase(Locale.ROOT), clientText);
                closeWith(Replies.TIMEOUT);
            }
        }
    }

    /** The per-record deadline passed (see {@link ReadDeadline}). */
    void deadlinePassed() {
        switch (phase) {
            case AWAITING_RESULT, CLOSED -> {
                // we are the slow side; resuming starts a new deadline
            }
            case CONNECTED, TLS_HANDSHAKE -> {
                phase = Phase.CLOSED;
                io.close();
            }
            case DATA, CHUNK -> {
                log.info("closing session with {}: message content slower than {} octets per second",
                        clientText, services.settings().limits().minDataRate());
                closeWith(Replies.DATA_TOO_SLOW);
            }
            default -> {
                log.info("closing session with {}: no complete command line within {} ms", clientText,
                        services.settings().limits().commandTimeout().toMillis());
                closeWith(Replies.TIMEOUT);
            }
        }
    }

    /**
     * The client sent TLS close_notify. RFC 3207 has no way back to clear text, so whatever
     * follows is not this client's TLS session: the session ends, and a transaction in progress
     * (a BDAT chunk half received) is dropped, never queued.
     */
    void tlsClosed() {
        if (phase == Phase.CLOSED) {
            return;
        }
        log.info("client {} ended TLS in {}; closing the session", clientText, phase.name().toLowerCase(Locale.ROOT));
        phase = Phase.CLOSED;
        io.hold(SmtpFramer.Hold.CLOSING);
        discardTransaction();
        io.close();
    }

    /** The TLS handshake failed ({@code why}, for the log): the session ends without a word. */
    void tlsFailed(String why) {
        log.debug("TLS handshake with {} failed: {}", clientText, why);
        phase = Phase.CLOSED;
        io.close();
    }

    /** The TLS handshake succeeded; {@code description} is protocol and cipher, as logged and stamped. */
    void tlsEstablished(String description) {
        tls = Optional.of(description);
        if (phase == Phase.CONNECTED && permit != null) {
            greet();
        } else if (phase == Phase.TLS_HANDSHAKE) {
            phase = Phase.COMMAND;
            io.awaitCommand();
        }
    }

    private boolean isIdle() {
        return transaction == null && (phase == Phase.COMMAND || phase == Phase.AUTH_RESPONSE);
    }

    private void closeIfDrainedAndIdle() {
        if (!draining || phase == Phase.CLOSED) {
            return;
        }
        if (isIdle()) {
            closeWith(Replies.SHUTTING_DOWN);
        } else if (phase == Phase.CONNECTED || phase == Phase.TLS_HANDSHAKE) {
            phase = Phase.CLOSED;
            io.close();
        }
    }

    private void discardTransaction() {
        if (transaction != null) {
            transaction.discard();
            transaction = null;
        }
        chunk = null;
    }

    private void rejected(RejectReason reason, String detail) {
        log.info("rejected reason={} client={} listener={} {}", reason.label(), clientText, services.listenerName(),
                printable(detail));
        services.events().messageRejected(reason);
    }

    private static Reply badLine(SmtpInput.Problem problem) {
        return switch (problem) {
            case TOO_LONG -> Replies.LINE_TOO_LONG;
            case NUL -> Replies.NUL_IN_LINE;
            case BARE_LINE_BREAK -> Replies.BARE_LINE_BREAK_IN_COMMAND;
            case NOT_UTF8 -> Replies.BAD_ENCODING;
        };
    }

    /** Client-supplied text for a log line: no control characters, bounded length. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
