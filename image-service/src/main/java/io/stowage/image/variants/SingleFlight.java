package io.stowage.image.variants;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Concurrent requests for the same missing variant share one rendering: the first starts it, the
 * others wait for its result. The entry goes away when the work ends, so a failure is not cached.
 */
public final class SingleFlight<T> {

    private final ConcurrentHashMap<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();

    public Uni<T> run(String key, Supplier<Uni<T>> work) {
        return Uni.createFrom().completionStage(() -> {
            CompletableFuture<T> mine = new CompletableFuture<>();
            CompletableFuture<T> running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                return running;
            }
            Uni<T> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                started = Uni.createFrom().failure(e);
            }
            started.subscribe().with(
                    item -> {
                        inFlight.remove(key, mine);
                        mine.complete(item);
                    },
                    failure -> {
                        inFlight.remove(key, mine);
                        mine.completeExceptionally(failure);
                    });
            return mine;
        });
    }

    /** Keys being worked on now. */
    public int inFlight() {
        return inFlight.size();
    }
}
