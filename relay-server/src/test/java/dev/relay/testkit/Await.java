package dev.relay.testkit;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The value of an asynchronous call under test, for the tests of every capability. */
public final class Await {
    /** Generous for a shared, loaded machine; a stage that is merely slow still passes. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {}

    /** The stage's value; the stages under test never fail, so an exception or a timeout fails the test. */
    public static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("stage did not complete normally", e);
        }
    }
}
