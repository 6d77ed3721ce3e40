package dev.relay.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
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
 */
final class AnswerCache {

    private final AsyncCache<Question, Answer> cache;

    AnswerCache(long maximumSize, Ticker ticker, Duration maxTtl, Duration maxNegativeTtl) {
        long maxPositive = maxTtl.toSeconds();
        long maxNegative = maxNegativeTtl.toSeconds();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(new Expiry<Question, Answer>() {
                    @Override
                    public long expireAfterCreate(Question key, Answer answer, long currentTime) {
                        long seconds = switch (answer) {
                            case Answer.Found f -> Math.min(f.ttl(), maxPositive);
                            case Answer.NoData n -> Math.min(n.ttl(), maxNegative);
                            case Answer.NxDomain n -> Math.min(n.ttl(), maxNegative);
                            case Answer.Failed f -> 0;
                        };
                        return Duration.ofSeconds(Math.max(0, seconds)).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(Question key, Answer answer, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, answer, currentTime);
                    }

                    @Override
                    public long expireAfterRead(Question key, Answer answer, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .buildAsync();
    }

    /** The cached answer, or the one {@code load} gives, shared with concurrent callers. */
    CompletableFuture<Answer> get(Question question, Function<Question, CompletionStage<Answer>> load) {
        // The load starts after the cache has registered the future, never inside Caffeine's
        // compute, so a load that completes at once cannot re-enter the map.
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> shared = cache.get(question, (q, executor) -> mine);
        if (shared == mine) {
            load.apply(question).whenComplete((answer, error) -> {
                if (error != null) {
                    mine.completeExceptionally(error);
                } else {
                    mine.complete(answer);
                }
            });
        }
        return shared;
    }

    /** Forgets every answer about {@code name}. */
    void invalidate(Name name) {
        cache.synchronous().asMap().keySet().removeIf(q -> q.name().equals(name));
    }

    void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
