package io.stowage.image.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.Uni;
import io.stowage.image.config.ImageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * metadata-service's successful lookup answers, kept for a short bound ({@code stowage.image.lookup-cache-ttl},
 * 1 s by default; 0 keeps none) so that a hot image does not cost a catalog round trip per request. An
 * entry belongs to who asked (anonymous, one caller's exact {@code Authorization} header, or image-service
 * itself for a verified image token) and one bucket and name: a caller is only ever answered from what
 * metadata-service answered that same caller. Refusals and failures are never kept, so they are asked
 * again every time. The bound is how stale an answer can be after a delete, an overwrite or a visibility
 * change. Metered like the hot variants ({@code cache="image-object-lookups"}).
 *
 * <p>A kept answer can name a blob that is gone (the object was overwritten or deleted within the bound, and
 * its old blob released): {@link #use} then drops it and asks metadata-service once more, so within the bound
 * a caller gets the old version or the new one, never a "not found" for an object that exists.
 */
@ApplicationScoped
public class RecentLookups {

    /** Who asked metadata-service. */
    enum Asker { ANONYMOUS, CALLER, IMAGE_SERVICE }

    /** @param authorization the caller's header for {@link Asker#CALLER}, null otherwise */
    record Key(Asker asker, String authorization, String bucket, String name) {
    }

    /** null when the bound is 0: every lookup goes to metadata-service. */
    private final Cache<Key, StoredObject> answers;

    @Inject
    public RecentLookups(ImageConfig config, MeterRegistry registry) {
        this(config.lookupCacheTtl(), config.lookupCacheEntries(), registry, Ticker.systemTicker());
    }

    RecentLookups(Duration bound, long maxEntries, MeterRegistry registry, Ticker ticker) {
        if (bound.isZero() || bound.isNegative() || maxEntries <= 0) {
            this.answers = null;
            return;
        }
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(bound)
                .maximumSize(maxEntries)
                .ticker(ticker)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, answers, "image-object-lookups");
    }

    /**
     * {@code use} applied to the object {@code key} names (kept or looked up). When a kept answer fails in
     * {@code use} with what {@code stale} recognises (its blob is gone), it is dropped and {@code use} is applied
     * once more to a fresh lookup; a fresh answer's failures are passed on as they are.
     */
    <T> Uni<T> use(Key key, Supplier<Uni<StoredObject>> lookup, Function<StoredObject, Uni<T>> use, Predicate<Throwable> stale) {
        StoredObject kept = answers == null ? null : answers.getIfPresent(key);
        if (kept == null) {
            return get(key, lookup).chain(o -> use.apply(o));
        }
        return use.apply(kept).onFailure(stale).recoverWithUni(() -> {
            answers.asMap().remove(key, kept);
            return get(key, lookup).chain(o -> use.apply(o));
        });
    }

    /** The kept answer for {@code key}, else {@code lookup}'s, kept when it is an object (a failure is not). */
    Uni<StoredObject> get(Key key, Supplier<Uni<StoredObject>> lookup) {
        if (answers == null) {
            return lookup.get();
        }
        StoredObject kept = answers.getIfPresent(key);
        if (kept != null) {
            return Uni.createFrom().item(kept);
        }
        return lookup.get().invoke(found -> answers.put(key, found));
    }
}
