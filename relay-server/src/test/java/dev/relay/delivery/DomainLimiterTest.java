package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DomainLimiterTest {

    @Test
    void waitersGetTheirTurnInOrderAsPermitsComeBack() {
        DomainLimiter limiter = new DomainLimiter(2);
        CompletableFuture<Void> first = limiter.acquire("a.test");
        CompletableFuture<Void> second = limiter.acquire("a.test");
        CompletableFuture<Void> third = limiter.acquire("a.test");
        CompletableFuture<Void> fourth = limiter.acquire("a.test");
        CompletableFuture<Void> other = limiter.acquire("b.test");

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isNotDone();
        assertThat(other).isDone(); // another domain has its own permits
        assertThat(limiter.running("a.test")).isEqualTo(2);
        assertThat(limiter.waiting("a.test")).isEqualTo(2);

        limiter.release("a.test");
        assertThat(third).isDone();
        assertThat(fourth).isNotDone();
        assertThat(limiter.running("a.test")).isEqualTo(2);

        limiter.release("a.test");
        limiter.release("a.test");
        limiter.release("a.test");
        assertThat(fourth).isDone();
        assertThat(limiter.running("a.test")).isZero();
        assertThatThrownBy(() -> limiter.release("a.test")).isInstanceOf(IllegalStateException.class);
    }
}
