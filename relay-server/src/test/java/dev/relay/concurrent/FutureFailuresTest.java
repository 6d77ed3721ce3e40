package dev.relay.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FutureFailuresTest {

    @Test
    void theFailureComesOutOfEveryWrapper() {
        IOException disk = new IOException("disk full");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(disk);
        Throwable joined = org.assertj.core.api.Assertions.catchThrowable(() -> failed.thenApply(s -> s).join());
        Throwable got = org.assertj.core.api.Assertions.catchThrowable(() -> failed.get());

        assertThat(joined).isInstanceOf(CompletionException.class);
        assertThat(got).isInstanceOf(ExecutionException.class);
        assertThat(FutureFailures.cause(joined)).isSameAs(disk);
        assertThat(FutureFailures.cause(got)).isSameAs(disk);
        assertThat(FutureFailures.cause(new ExecutionException(new CompletionException(disk)))).isSameAs(disk);
    }

    @Test
    void anythingElseIsItsOwnCause() {
        IOException disk = new IOException("disk full", new IllegalStateException("inner"));
        assertThat(FutureFailures.cause(disk)).isSameAs(disk);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(FutureFailures.cause(empty)).isSameAs(empty);
    }

    @Test
    void theRootCauseSaysWhatHappenedAndSilenceIsNoDetail() {
        IOException refused = new IOException("Connection refused");
        assertThat(FutureFailures.rootMessage(new CompletionException(new IllegalStateException("wrapper", refused))))
                .isEqualTo("Connection refused");
        assertThat(FutureFailures.rootMessage(new IOException("outer", new java.nio.channels.ClosedChannelException())))
                .isEqualTo("no detail");
        assertThat(FutureFailures.rootMessage(new IOException("alone"))).isEqualTo("alone");
    }
}
