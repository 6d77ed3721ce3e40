package dev.relay.concurrent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Concurrent calls for one key share one run of the work: the first caller starts it, callers
 * that come while it runs get the same future, and the next call after it is done starts anew.
 * Whatever the work stores for later callers (a cache) it must store before its stage completes.
 */
public final class SharedCalls<K, V> {
    private final Map<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    /** The running call's future for {@code key}, or a new call of {@code work}; a throwing work fails the future. */
    public CompletableFuture<V> call(K key, Function<? super K, ? extends CompletionStage<V>> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> shared = running.putIfAbsent(key, mine);
        if (shared != null) {
            return shared;
        }
        CompletionStage<V> stage;
        try {
            stage = work.apply(key);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((value, error) -> {
            running.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(value);
            }
        });
        return mine;
    }
}
