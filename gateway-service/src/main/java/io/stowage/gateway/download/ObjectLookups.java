package io.stowage.gateway.download;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.stowage.gateway.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * metadata-service's answers to download lookups ("may this caller read {@code {bucket}/{path}}, and
 * what is it?") and to the bucket lookups of upload checks ("what are this bucket's limits, as this
 * caller sees it?") and to file reads by id ({@code GET /v1/files/{id}}), kept for a short bound so that a hot object is looked up once per bound instead of
 * once per download. What is kept is the catalog's own answer for one caller: the key is the route's
 * mode, the caller's whole {@code Authorization} header (none for public reads) and the path, so no
 * caller is ever served what was decided for another, and the access rule stays metadata-service's
 * alone. Only successful answers are kept: a refusal or a missing object is asked again each time.
 * <p>
 * How stale an answer can be:
 * <ul>
 * <li>a write that passes through this gateway (any successful POST, PUT, PATCH or DELETE) drops the
 *     kept answers of its bucket before its answer reaches the caller, or all of them when the bucket
 *     is not in the path (a file read by id is dropped by any write): reads through the same gateway
 *     see the change at once;</li>
 * <li>a change made elsewhere (through another gateway replica, or by a job in metadata-service) is
 *     served stale for at most {@code stowage.gateway.lookup-cache-ttl} (1 s by default; 0 turns the
 *     cache off).</li>
 * </ul>
 * The caller's token is verified by the gateway on every request before a kept answer is used.
 * Metered as {@code cache_gets_total{cache="gateway-object-lookups"}} and friends.
 */
@ApplicationScoped
public class ObjectLookups {

    /** What was asked: a download lookup in one of the route modes, or a bucket's settings. */
    private record Key(String kind, String authorization, String locator) {
    }

    private record Kept(JsonObject object, long global, long bucket) {
    }

    /** What a lookup saw of the write counters before it was sent; null when nothing is kept. */
    public record Stamp(String bucket, long global, long bucketGeneration) {
    }

    private static final String SETTINGS = "bucket";
    private static final String FILE = "file";

    private final boolean enabled;
    private final Cache<Key, Kept> answers;
    /** Bumped by a write whose bucket is not known from its path. */
    private final AtomicLong global = new AtomicLong();
    /** Bumped by every write: a file read by id may be in any bucket. */
    private final AtomicLong any = new AtomicLong();
    /** Bumped by a successful write to one bucket; entries are never removed (bucket names are few and short). */
    private final ConcurrentMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
    /** Bumped by a change of a bucket's own settings (not by writes of its objects). */
    private final ConcurrentMap<String, AtomicLong> settings = new ConcurrentHashMap<>();

    public ObjectLookups(GatewayConfig config, MeterRegistry registry) {
        Duration ttl = config.lookupCacheTtl();
        this.enabled = ttl.isPositive() && config.lookupCacheSize() > 0;
        this.answers = Caffeine.newBuilder()
                .maximumSize(Math.max(1, config.lookupCacheSize()))
                .expireAfterWrite(enabled ? ttl : Duration.ofMillis(1))
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, answers, "gateway-object-lookups");
    }

    /** The kept answer for this caller and path, or null. */
    public JsonObject get(Downloads.Mode mode, String authorization, String locator) {
        if (!enabled || !cacheable(mode)) {
            return null;
        }
        return kept(new Key(mode.name(), authorization, locator), current(buckets, bucketOf(locator)));
    }

    /** The kept settings of {@code bucket} as this caller was shown them (an upload's checks), or null. */
    public JsonObject bucket(String authorization, String bucket) {
        return enabled ? kept(new Key(SETTINGS, authorization, bucket), current(settings, bucket)) : null;
    }

    /** Taken before a bucket's settings are asked for. */
    public Stamp stampBucket(String bucket) {
        return enabled ? new Stamp(bucket, global.get(), current(settings, bucket)) : null;
    }

    /** Keeps a bucket's settings obtained after {@code stamp}. */
    public void keepBucket(String authorization, String bucket, Stamp stamp, JsonObject settingsAnswer) {
        if (stamp != null) {
            answers.put(new Key(SETTINGS, authorization, bucket), new Kept(settingsAnswer, stamp.global(), stamp.bucketGeneration()));
        }
    }

    /** The kept record of file {@code id} as this caller was shown it, or null. */
    public JsonObject file(String authorization, String id) {
        return enabled ? kept(new Key(FILE, authorization, id), 0) : null;
    }

    /** Taken before a file is asked for by id: any write through this gateway makes the answer unusable. */
    public Stamp stampFile() {
        return enabled ? new Stamp(null, any.get(), 0) : null;
    }

    public void keepFile(String authorization, String id, Stamp stamp, JsonObject file) {
        if (stamp != null) {
            answers.put(new Key(FILE, authorization, id), new Kept(file, stamp.global(), 0));
        }
    }

    private JsonObject kept(Key key, long bucketGeneration) {
        Kept kept = answers.getIfPresent(key);
        if (kept == null) {
            return null;
        }
        long against = key.kind().equals(FILE) ? any.get() : global.get();
        if (kept.global() != against || kept.bucket() != bucketGeneration) {
            answers.invalidate(key);
            return null;
        }
        return kept.object();
    }

    /** Taken before the lookup is sent, so that a write finishing meanwhile makes its answer unusable. */
    public Stamp stamp(Downloads.Mode mode, String locator) {
        if (!enabled || !cacheable(mode)) {
            return null;
        }
        String bucket = bucketOf(locator);
        return new Stamp(bucket, global.get(), current(buckets, bucket));
    }

    /**
     * Drops the kept answer for this caller and path: it named a blob that is gone (the object was overwritten or
     * deleted around this gateway within the bound, and its old blob released), so the catalog is asked again.
     */
    public void forget(Downloads.Mode mode, String authorization, String locator) {
        answers.invalidate(new Key(mode.name(), authorization, locator));
    }

    /** Keeps a successful answer obtained after {@code stamp}. */
    public void keep(Downloads.Mode mode, String authorization, String locator, Stamp stamp, JsonObject object) {
        if (stamp != null) {
            answers.put(new Key(mode.name(), authorization, locator), new Kept(object, stamp.global(), stamp.bucketGeneration()));
        }
    }

    /** A write to {@code bucket}'s objects went through (null: a write whose bucket is not known). */
    public void written(String bucket) {
        any.incrementAndGet();
        if (bucket == null || bucket.isEmpty()) {
            global.incrementAndGet();
        } else {
            generation(buckets, bucket).incrementAndGet();
        }
    }

    /** A change of {@code bucket} itself went through: its settings and the access to its objects may differ. */
    public void bucketChanged(String bucket) {
        any.incrementAndGet();
        if (bucket == null || bucket.isEmpty()) {
            global.incrementAndGet();
        } else {
            generation(settings, bucket).incrementAndGet();
            generation(buckets, bucket).incrementAndGet();
        }
    }

    /**
     * A bucket's counter as reads see it: 0 until a write to it went through. Reads never add a counter,
     * so paths naming made-up buckets cannot grow the map; only successful writes (of buckets that exist) do.
     */
    private static long current(ConcurrentMap<String, AtomicLong> counters, String bucket) {
        AtomicLong counter = counters.get(bucket);
        return counter == null ? 0 : counter.get();
    }

    /** How many buckets have write counters (for the test that reads of made-up buckets add none). */
    int bucketsCounted() {
        return buckets.size() + settings.size();
    }

    private static AtomicLong generation(ConcurrentMap<String, AtomicLong> counters, String bucket) {
        return counters.computeIfAbsent(bucket, b -> new AtomicLong());
    }

    /** Lookups by path only: the bucket of an answer by id is not known before it arrives. */
    private static boolean cacheable(Downloads.Mode mode) {
        return mode == Downloads.Mode.PRIVATE || mode == Downloads.Mode.PUBLIC;
    }

    private static String bucketOf(String locator) {
        int slash = locator.indexOf('/');
        return slash < 0 ? locator : locator.substring(0, slash);
    }
}
