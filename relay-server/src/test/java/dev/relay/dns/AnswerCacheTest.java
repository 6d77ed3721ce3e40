package dev.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The cache alone, with a loader the test completes by hand. */
class AnswerCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AnswerCache cache = new AnswerCache(100, nanos::get, Duration.ofDays(1), Duration.ofHours(1));
    private final Question question = new Question(Name.root, Type.MX);

    @Test
    void concurrentAskersShareOneQueryInFlight() {
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<Answer> pending = new CompletableFuture<>();

        CompletableFuture<Answer> first = cache.get(question, q -> {
            loads.incrementAndGet();
            return pending;
        });
        CompletableFuture<Answer> second = cache.get(question, q -> {
            loads.incrementAndGet();
            return pending;
        });
        assertThat(first).isNotDone();
        pending.complete(new Answer.Negative(ResultKind.NO_DATA, 10));

        assertThat(loads).hasValue(1);
        assertThat(first.join()).isEqualTo(new Answer.Negative(ResultKind.NO_DATA, 10));
        assertThat(second.join()).isEqualTo(new Answer.Negative(ResultKind.NO_DATA, 10));
    }

    @Test
    void theTtlCountsFromReceiptNotFromTheQuestion() {
        CompletableFuture<Answer> pending = new CompletableFuture<>();
        cache.get(question, q -> pending);
        nanos.addAndGet(Duration.ofSeconds(8).toNanos()); // a slow answer
        pending.complete(new Answer.Found(List.of(), 10));

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(cache.get(question, q -> CompletableFuture.failedFuture(new AssertionError("asked again"))).join())
                .isEqualTo(new Answer.Found(List.of(), 10));

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        Answer fresh = new Answer.Found(List.of(), 20);
        assertThat(cache.get(question, q -> CompletableFuture.completedFuture(fresh)).join()).isEqualTo(fresh);
    }

    @Test
    void failuresAreNotKept() {
        Answer failed = new Answer.Failed(ResultKind.TIMEOUT, "timeout");
        Answer found = new Answer.Found(List.of(), 10);

        assertThat(cache.get(question, q -> CompletableFuture.completedFuture(failed)).join()).isEqualTo(failed);
        assertThat(cache.get(question, q -> CompletableFuture.completedFuture(found)).join()).isEqualTo(found);
    }

    @Test
    void aLoaderThatThrowsFailsOnlyThatLookup() {
        CompletableFuture<Answer> broken = cache.get(question, q -> {
            throw new IllegalStateException("bug");
        });
        assertThat(broken).isCompletedExceptionally();

        Answer found = new Answer.Found(List.of(), 10);
        assertThat(cache.get(question, q -> CompletableFuture.completedFuture(found)).join()).isEqualTo(found);
    }
}
