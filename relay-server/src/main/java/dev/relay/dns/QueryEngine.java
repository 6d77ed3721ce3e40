package dev.relay.dns;

import dev.relay.concurrent.FutureFailures;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Asks the configured servers one question and follows CNAMEs across responses, turning every
 * outcome, exceptions included, into an {@link Answer}. No caching here: chased targets are
 * asked directly, so a CNAME loop through two cache entries can never wait on itself.
 *
 * <p>Servers are asked in their configured order, and a server that cannot answer hands the
 * question to the next: silence or a network error, and also SERVFAIL, REFUSED or any other
 * error code (a resolver that failed to recurse, or one that does not serve us, says nothing
 * about the name; another may well know). Only when the last server fails too is the lookup a
 * temporary failure, reported as the last server's. NXDOMAIN and answers are final wherever
 * they come from. dnsjava's ExtendedResolver moves on after silence only, so each server has
 * its own resolver (which keeps the per-server attempts and timeouts) and this class walks them.
 */
final class QueryEngine {

    static final int MAX_CNAME_HOPS = 10;

    private final List<Resolver> servers;
    private final boolean readSecurity;
    private final Clock clock;

    /** @param servers one resolver per configured server, in order; at least one */
    QueryEngine(List<Resolver> servers) {
        this(servers, false, Clock.systemUTC());
    }

    /**
     * @param servers one resolver per configured server, in order; at least one
     * @param readSecurity whether the servers' answers carry a DNSSEC status to read (validating
     *     resolvers, or resolvers whose AD bit is trusted); see {@link ResponseReader}
     * @param clock the time signatures expire against: a secure answer is cached no longer than
     *     its RRSIGs stay valid
     */
    QueryEngine(List<Resolver> servers, boolean readSecurity, Clock clock) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS server is needed");
        }
        this.servers = List.copyOf(servers);
        this.readSecurity = readSecurity;
        this.clock = clock;
    }

    /** Never completes exceptionally. */
    CompletionStage<Answer> resolve(Question question) {
        return ask(question, question.name(), Long.MAX_VALUE, true, 0);
    }

    private CompletionStage<Answer> ask(Question original, Name name, long chainTtl, boolean chainSecure, int hops) {
        Question step = new Question(name, original.type());
        Message query = Message.newQuery(Record.newRecord(name, original.type(), DClass.IN));
        return send(original, query, 0).thenCompose(sent -> switch (sent) {
            case Sent.Unanswered(Answer.Failed failure) -> CompletableFuture.<Answer>completedFuture(failure);
            case Sent.Answered(Message response) -> {
                long signed = readSecurity ? ResponseReader.signatureLifetime(response, clock.instant()) : Long.MAX_VALUE;
                yield switch (ResponseReader.read(step, response, MAX_CNAME_HOPS - hops, readSecurity)) {
                    case ResponseReader.Done(Answer answer) -> CompletableFuture.completedFuture(
                            answer.capTtl(Math.min(chainTtl, signed)).secureOnlyIf(chainSecure));
                    case ResponseReader.Follow(Name target, long ttl, int more, boolean secure) -> hops + more > MAX_CNAME_HOPS
                            ? CompletableFuture.<Answer>completedFuture(ResponseReader.loop(original))
                            : ask(original, target, Math.min(Math.min(chainTtl, ttl), signed), chainSecure && secure, hops + more);
                };
            }
        }).exceptionally(error -> failure(original, error, -1));
    }

    /** What asking the servers came to: a response to read, or nothing usable from any of them. */
    private sealed interface Sent {
        record Answered(Message response) implements Sent {}

        record Unanswered(Answer.Failed failure) implements Sent {}
    }

    /** Asks server {@code index}, and the ones after it while they cannot answer. Never fails. */
    private CompletionStage<Sent> send(Question question, Message query, int index) {
        boolean last = index == servers.size() - 1;
        CompletionStage<Message> sent;
        try {
            sent = servers.get(index).sendAsync(query);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((response, error) -> {
            if (error == null && (!serverFailed(response) || last)) {
                return CompletableFuture.<Sent>completedFuture(new Sent.Answered(response));
            }
            if (last) {
                return CompletableFuture.<Sent>completedFuture(new Sent.Unanswered(failure(question, error, index)));
            }
            return send(question, query, index + 1);
        }).thenCompose(next -> next);
    }

    /** The server could not answer (RFC 1035 4.1.1: any code but "no error" and "name error"). */
    private static boolean serverFailed(Message response) {
        int rcode = response.getRcode();
        return rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN;
    }

    /** ExtendedResolver reports its overall deadline as a plain IOException. */
    private static boolean isDeadline(Throwable cause) {
        return cause instanceof IOException && cause.getMessage() != null && cause.getMessage().startsWith("Timed out");
    }

    /** "DNS server 192.0.2.53:53", through the one-server ExtendedResolver that wraps it. */
    private static String serverName(Resolver resolver) {
        Resolver inner = resolver instanceof ExtendedResolver extended && extended.getResolvers().length == 1
                ? extended.getResolver(0)
                : resolver;
        return inner instanceof SimpleResolver simple
                ? "DNS server " + DnsResolver.describe(simple.getAddress())
                : "the DNS server";
    }

    /**
     * The failure in words, as Postfix words it ("DNS server 192.0.2.53:53 did not answer"):
     * the server that was asked, never an exception's class name.
     *
     * @param index the server asked last; -1 when the failure is not a server's
     */
    private Answer.Failed failure(Question question, Throwable error, int index) {
        Throwable cause = FutureFailures.cause(error);
        String server = index >= 0 ? serverName(servers.get(index)) : "the DNS server";
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException || isDeadline(cause)) {
            return new Answer.Failed(ResultKind.TIMEOUT, server + " did not answer in time for " + question);
        }
        if (cause instanceof ServerFailure failure) {
            return new Answer.Failed(failure.kind(), "DNS " + failure.getMessage() + " for " + question);
        }
        if (cause instanceof PortUnreachableException) {
            return new Answer.Failed(ResultKind.ERROR, server + " did not answer for " + question
                    + " (nothing listens on its port)");
        }
        if (cause instanceof ConnectException) {
            return new Answer.Failed(ResultKind.ERROR, server + " refused the connection for " + question);
        }
        if (cause instanceof IOException) {
            return new Answer.Failed(ResultKind.ERROR, "network error asking " + server + " for " + question
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        return new Answer.Failed(ResultKind.ERROR, "the lookup of " + question + " failed"
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
