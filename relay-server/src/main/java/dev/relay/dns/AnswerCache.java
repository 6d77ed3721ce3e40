package dev.relay.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.relay.concurrent.SharedCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.xbill.DNS.Name;

/**
 * Answers kept for their TTL: positive ones up to {@code maxTtl}, NXDOMAIN and no-data up to
 * {@code maxNegativeTtl} (RFC 2308), failures not at all. Concurrent askers of the same
 * question share one query while it is in flight.
 *
 * <p>dnsjava's own {@code Cache} reads {@code System.currentTimeMillis()} and cannot be given a
 * clock, so tests could not move its time; Caffeine takes a {@link Ticker}.
 *
 * <p>Finished answers live in a plain (synchronous) Caffeine cache, and queries in flight in
 * a map beside it, so an answer is stored, with its expiry fixed at receipt, before anyone
 * sees it. (With Caffeine's async cache the expiry is set by a completion callback that may
 * run after the caller already has the answer and has moved on.)
 */
final class AnswerCache {

    /** An answer and the ticker reading at which it stops being valid. */
    private record Timed(Answer answer, long expiresAt) {}

    private final Cache<Question, Timed> cache;
    private final SharedCalls<Question, Answer> calls = new SharedCalls<>();
    private final Ticker ticker;
    private final long maxPositive;
    private final long maxNegative;

    AnswerCache(long maximumSize, Ticker ticker, Duration maxTtl, Duration maxNegativeTtl) {
        this.ticker = ticker;
        this.maxPositive = maxTtl.toSeconds();
        this.maxNegative = maxNegativeTtl.toSeconds();
        // Caffeine's upkeep (replaying reads into the eviction order) runs on the caller's
        // thread: every message reads several answers, and handing the upkeep to the common
        // pool woke one of its threads every few messages
        this.cache = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(Expiry.<Question, Timed>writing(
                        (question, timed) -> Duration.ofNanos(Math.max(0, timed.expiresAt() - ticker.read()))))
                .build();
    }

    /** The cached answer, or the one {@code load} gives, shared with concurrent callers. */
    CompletableFuture<Answer> get(Question question, Function<Question, CompletionStage<Answer>> load) {
        Timed hit = cache.getIfPresent(question);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit.answer());
        }
        return calls.call(question, q -> load.apply(q).thenApply(answer -> {
            long life = lifetime(answer).toNanos();
            if (life > 0) {
                cache.put(q, new Timed(answer, ticker.read() + life));
            }
            return answer;
        }));
    }

    private Duration lifetime(Answer answer) {
        long seconds = switch (answer) {
            case Answer.Found f -> Math.min(f.ttl(), maxPositive);
            case Answer.Negative n -> Math.min(n.ttl(), maxNegative);
            case Answer.Failed f -> 0;
        };
        return Duration.ofSeconds(Math.max(0, seconds));
    }

    /** Forgets every answer about {@code name}. */
    void invalidate(Name name) {
        cache.asMap().keySet().removeIf(q -> q.name().equals(name));
    }

    void invalidateAll() {
        cache.invalidateAll();
    }
}
