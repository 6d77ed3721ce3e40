package dev.relay.dns;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;

/**
 * Asks the configured servers one question and follows CNAMEs across responses, turning every
 * outcome, exceptions included, into an {@link Answer}. No caching here: chased targets are
 * asked directly, so a CNAME loop through two cache entries can never wait on itself.
 */
final class QueryEngine {

    static final int MAX_CNAME_HOPS = 10;

    private final Resolver resolver;

    QueryEngine(Resolver resolver) {
        this.resolver = resolver;
    }

    /** Never completes exceptionally. */
    CompletionStage<Answer> resolve(Question question) {
        return ask(question, question.name(), Long.MAX_VALUE, 0);
    }

    private CompletionStage<Answer> ask(Question original, Name name, long chainTtl, int hops) {
        Question step = new Question(name, original.type());
        Message query = Message.newQuery(Record.newRecord(name, original.type(), DClass.IN));
        CompletionStage<Message> sent;
        try {
            sent = resolver.sendAsync(query);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(original, e));
        }
        return sent.handle((response, error) -> {
                    if (error != null) {
                        return CompletableFuture.<Answer>completedFuture(failure(original, error));
                    }
                    return switch (ResponseReader.read(step, response, MAX_CNAME_HOPS - hops)) {
                        case ResponseReader.Done(Answer answer) ->
                                CompletableFuture.completedFuture(answer.capTtl(chainTtl));
                        case ResponseReader.Follow(Name target, long ttl, int more) -> hops + more > MAX_CNAME_HOPS
                                ? CompletableFuture.<Answer>completedFuture(ResponseReader.loop(original))
                                : ask(original, target, Math.min(chainTtl, ttl), hops + more);
                    };
                })
                .thenCompose(next -> next)
                .exceptionally(error -> failure(original, error));
    }

    /** ExtendedResolver reports its overall deadline as a plain IOException. */
    private static boolean isDeadline(Throwable cause) {
        return cause instanceof IOException && cause.getMessage() != null && cause.getMessage().startsWith("Timed out");
    }

    private static Answer.Failed failure(Question question, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException || isDeadline(cause)) {
            return new Answer.Failed(ResultKind.TIMEOUT, "DNS timeout for " + question);
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String what = cause instanceof IOException ? "DNS error for " : "DNS failure for ";
        return new Answer.Failed(ResultKind.ERROR, what + question + ": " + detail);
    }
}
