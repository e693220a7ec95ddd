package io.stowage.gateway.download;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.stowage.gateway.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bytes of small blobs the gateway served lately, so that a hot avatar or JSON document is
 * served from memory instead of from S3. Blobs never change (every upload writes a new blob key), so
 * a kept body is never stale; whether the caller may read the object, and which blob the name points
 * to, is still the lookup's answer ({@link ObjectLookups}). Only whole answers of objects up to
 * {@code stowage.gateway.blob-cache-max-object} are kept, bounded in total by
 * {@code stowage.gateway.blob-cache-bytes} (0 turns it off); larger objects are always streamed.
 * Metered as {@code cache_gets_total{cache="gateway-small-blobs"}} and friends.
 */
@ApplicationScoped
public class SmallBlobs {

    /** A blob's bytes (the validators answered with them are the catalog's, from the lookup). */
    public record Held(Buffer body) {
    }

    private final boolean enabled;
    private final long maxObject;
    private final Cache<String, Held> blobs;

    public SmallBlobs(GatewayConfig config, MeterRegistry registry) {
        this.enabled = config.blobCacheBytes() > 0 && config.blobCacheMaxObject() > 0;
        this.maxObject = config.blobCacheMaxObject();
        this.blobs = Caffeine.newBuilder()
                .maximumWeight(Math.max(1, config.blobCacheBytes()))
                .weigher((String key, Held held) -> held.body().length() + key.length() + 64)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, blobs, "gateway-small-blobs");
    }

    /** Whether an object of {@code size} bytes would be kept. */
    public boolean fits(long size) {
        return enabled && size >= 0 && size <= maxObject;
    }

    public Held get(String blobKey) {
        return enabled && blobKey != null ? blobs.getIfPresent(blobKey) : null;
    }

    public void keep(String blobKey, Held held) {
        if (enabled && blobKey != null && fits(held.body().length())) {
            blobs.put(blobKey, held);
        }
    }
}
