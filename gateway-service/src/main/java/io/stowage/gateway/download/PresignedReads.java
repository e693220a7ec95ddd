package io.stowage.gateway.download;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.stowage.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The presigned S3 GETs the gateway streams downloads from, reused while they stay valid: a blob's
 * bytes never change (every upload writes a new blob key), so one signature serves every download
 * of that blob until it nears its expiry, and a download then needs no round trip to signing-service.
 * Nothing about who may read is cached here: every download still asks metadata-service, so a
 * deleted object or one made private is refused at once. The URLs never leave the gateway (a
 * redirect to S3 is signed for its caller each time). Bounded by count; hits, misses and evictions
 * are metered as {@code cache_gets_total{cache="gateway-presigned-reads"}} and friends.
 */
@ApplicationScoped
public class PresignedReads {

    /** A reused URL keeps at least this much of its validity, so a stream that starts with it is not refused. */
    static final Duration LEFT_AT_REUSE = Duration.ofSeconds(20);

    private final Cache<String, String> urls;
    private final boolean enabled;

    public PresignedReads(GatewayConfig config, MeterRegistry registry) {
        Duration reuseFor = Duration.ofSeconds(config.downloadUrlTtl()).minus(LEFT_AT_REUSE);
        this.enabled = config.presignedCacheSize() > 0 && reuseFor.isPositive();
        this.urls = Caffeine.newBuilder()
                .maximumSize(Math.max(1, config.presignedCacheSize()))
                .expireAfterWrite(reuseFor.isPositive() ? reuseFor : Duration.ofSeconds(1))
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, urls, "gateway-presigned-reads");
    }

    /** A valid presigned GET of the blob, or null when none is kept. */
    public String of(String blobKey) {
        return enabled && blobKey != null ? urls.getIfPresent(blobKey) : null;
    }

    /** Keeps a presigned GET of the blob for the next downloads of it. */
    public void keep(String blobKey, String url) {
        if (enabled && blobKey != null && url != null) {
            urls.put(blobKey, url);
        }
    }
}
