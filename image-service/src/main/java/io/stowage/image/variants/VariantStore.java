package io.stowage.image.variants;

import io.stowage.contract.SharedErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.Uni;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import io.stowage.image.config.ImageConfig;
import io.stowage.image.error.ImageException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The physical bucket as image-service sees it: originals are read (never written), rendered
 * variants live under {@code variants/{bucket}/{blobKey}/{hash}} so that the variants of one object's
 * blob, of one bucket, or all of them share a prefix and can be purged together. The most used
 * variants are kept in memory as well ({@code stowage.image.memory-cache-bytes}, 10 minutes after their
 * last use at most): a name is a hash of the blob and the options, so a kept variant is the same bytes
 * S3 has; a purge drops them here too (on the replica that consumes the event; on another replica they
 * are the same bytes a new render would give, and who may see them is still asked every time, or
 * taken from metadata-service's answer of the last {@code stowage.image.lookup-cache-ttl}).
 */
@ApplicationScoped
public class VariantStore {

    private final S3AsyncClient s3;
    private final String bucket;
    private final String prefix;
    /** The most used variants, also in memory: a hit needs no S3 read. Bounded by bytes; metered. */
    private final Cache<String, Variant> hot;

    public VariantStore(S3AsyncClient s3, @ConfigProperty(name = "stowage.s3.bucket") String bucket, ImageConfig config,
                        MeterRegistry registry) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = config.variantPrefix();
        this.hot = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, config.memoryCacheBytes()))
                .weigher((String key, Variant variant) -> variant.bytes().length + key.length())
                .expireAfterAccess(Duration.ofMinutes(10))
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, hot, "image-hot-variants");
    }

    /**
     * Builds the S3 client at start: built lazily, the first request after a start (or the first purge) built
     * it on the event loop, blocking it for seconds.
     */
    void buildClientAtStart(@Observes StartupEvent start) {
        s3.serviceName();
    }

    /** The prefix under which every variant of {@code blobKey} rendered for an object of {@code bucket} is stored. */
    public String prefixOf(String bucket, String blobKey) {
        return bucketPrefix(bucket) + blobKey + "/";
    }

    /** The prefix of every variant rendered for objects of {@code bucket}. */
    public String bucketPrefix(String bucket) {
        return prefix + bucket + "/";
    }

    /** The prefix of every variant. */
    public String allPrefix() {
        return prefix;
    }

    /** A stored variant, or empty when it was never rendered (or was purged). */
    public Uni<Optional<Variant>> find(String key) {
        Variant kept = hot.getIfPresent(key);
        if (kept != null) {
            return Uni.createFrom().item(Optional.of(kept));
        }
        return Uni.createFrom().completionStage(() -> s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()))
                .map(r -> Optional.of(new Variant(r.asByteArray(), r.response().contentType())))
                .invoke(found -> hot.put(key, found.get()))
                .onFailure(e -> unwrap(e) instanceof NoSuchKeyException
                        || unwrap(e) instanceof S3Exception s && s.statusCode() == 404)
                .recoverWithItem(Optional.empty())
                .onFailure(e -> !(e instanceof ImageException)).transform(VariantStore::unavailable);
    }

    public Uni<Void> store(String key, Variant variant) {
        hot.put(key, variant);
        return Uni.createFrom().completionStage(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(variant.contentType()),
                        AsyncRequestBody.fromBytes(variant.bytes())))
                .onFailure().transform(VariantStore::unavailable)
                .replaceWithVoid();
    }

    /** The original blob; {@code maxBytes} is checked again on what S3 says, not only on the catalog's size. */
    public Uni<byte[]> original(String blobKey, long maxBytes) {
        return Uni.createFrom().completionStage(() -> s3.getObject(b -> b.bucket(bucket).key(blobKey), AsyncResponseTransformer.toBytes()))
                .onFailure(e -> unwrap(e) instanceof NoSuchKeyException)
                .transform(e -> ImageException.blobGone("the object's bytes are gone"))
                .onFailure(e -> !(e instanceof ImageException)).transform(VariantStore::unavailable)
                .map(r -> {
                    if (r.response().contentLength() != null && r.response().contentLength() > maxBytes) {
                        throw new ImageException(SharedErrorCode.PayloadTooLarge, "the image is larger than " + maxBytes + " bytes");
                    }
                    return r.asByteArray();
                });
    }

    /** Deletes every variant stored under {@code keyPrefix}; returns how many were deleted. */
    public Uni<Integer> purge(String keyPrefix) {
        hot.asMap().keySet().removeIf(key -> key.startsWith(keyPrefix));
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix)))
                .chain(listing -> {
                    List<ObjectIdentifier> keys = listing.contents().stream().map(S3Object::key)
                            .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                    if (keys.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Uni<Integer> deleted = Uni.createFrom().completionStage(() -> s3.deleteObjects(b -> b.bucket(bucket)
                            .delete(Delete.builder().objects(keys).quiet(true).build()))).replaceWith(keys.size());
                    // more than one page of variants: go on until none is left
                    return Boolean.TRUE.equals(listing.isTruncated())
                            ? deleted.chain(n -> purge(keyPrefix).map(m -> n + m))
                            : deleted;
                });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static RuntimeException unavailable(Throwable e) {
        return new DependencyUnavailable(Dependency.STORAGE, "S3 failed: " + unwrap(e).getClass().getSimpleName(), unwrap(e));
    }

    /** Encoded bytes and their content type. */
    public record Variant(byte[] bytes, String contentType) {
    }
}
