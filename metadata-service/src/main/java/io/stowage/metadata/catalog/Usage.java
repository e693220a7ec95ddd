package io.stowage.metadata.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.stowage.contract.SharedErrorCode;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.config.MetadataConfig;
import io.stowage.metadata.error.CatalogException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * Usage per bucket and per owner ({@code bucket_usage}, {@code owner_usage}): bytes and objects
 * stored, kept by every change in its own transaction ({@link UsageDelta}), and the quotas checked
 * against it: a bucket's {@code maxBytes}/{@code maxObjects}, and the default per owner
 * ({@code stowage.quota.owner-max-bytes}/{@code -objects}).
 *
 * <p>Each usage row is changed by one conditional upsert that also says whether the new total is over
 * the quota. The upsert locks the row until the transaction ends, so concurrent changes of one bucket
 * or owner queue up there and each sees the others' committed totals: a change that grows a row past
 * its quota is refused (413 {@code QuotaExceeded}) and rolls back, and concurrent registrations
 * cannot overshoot a quota at all. Rows are taken last in a transaction, buckets before owners, each
 * group in name order, so two transactions never wait on each other's usage rows in a cycle.
 */
@ApplicationScoped
public class Usage {

    /* Returns 0 (within the limits), 1 (over the bytes) or 2 (over the objects); Long.MAX_VALUE means no limit. */
    private static final String ADD_TO_BUCKET = """
            INSERT INTO bucket_usage (bucket, bytes, objects) VALUES (:key, :bytes, :objects)
            ON CONFLICT (bucket) DO UPDATE SET bytes = bucket_usage.bytes + EXCLUDED.bytes,
                                               objects = bucket_usage.objects + EXCLUDED.objects
            RETURNING CASE WHEN bytes > :maxBytes THEN 1 WHEN objects > :maxObjects THEN 2 ELSE 0 END
            """;
    private static final String ADD_TO_OWNER = """
            INSERT INTO owner_usage (owner, bytes, objects) VALUES (:key, :bytes, :objects)
            ON CONFLICT (owner) DO UPDATE SET bytes = owner_usage.bytes + EXCLUDED.bytes,
                                              objects = owner_usage.objects + EXCLUDED.objects
            RETURNING CASE WHEN bytes > :maxBytes THEN 1 WHEN objects > :maxObjects THEN 2 ELSE 0 END
            """;

    private final MetadataConfig.Quota quota;
    private final MeterRegistry registry;

    public Usage(MetadataConfig config, MeterRegistry registry) {
        this.quota = config.quota();
        this.registry = registry;
    }

    /** A bucket's or owner's usage and the quota that applies to it (null: none). */
    public record Report(long bytes, long objects, Long maxBytes, Long maxObjects) {
    }

    /**
     * Applies a transaction's usage changes; call it last, inside that transaction. A row the change
     * grows past its quota fails the change with 413 {@code QuotaExceeded}; {@code caller} (null for
     * background jobs, which only take away) decides whether the owner's default quota applies: an
     * admin storing its own objects is not held to it.
     */
    public Uni<Void> apply(UsageDelta delta, Caller caller) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (Map.Entry<String, UsageDelta.Change> e : delta.buckets().entrySet()) {
            done = done.chain(() -> addToBucket(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, UsageDelta.Change> e : delta.owners().entrySet()) {
            done = done.chain(() -> addToOwner(e.getKey(), e.getValue(), caller));
        }
        return done;
    }

    private Uni<Void> addToBucket(String bucket, UsageDelta.Change change) {
        if (change.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return BucketEntity.<BucketEntity>findById(bucket).chain(b -> {
            // a limit is checked only where this change adds: an overwrite that adds bytes but no object
            // is not refused for a bucket already at its object quota
            Long maxBytes = change.bytes() > 0 && b != null ? b.maxBytes : null;
            Long maxObjects = change.objects() > 0 && b != null ? b.maxObjects : null;
            return add(ADD_TO_BUCKET, bucket, change, maxBytes, maxObjects).invoke(over -> {
                if (over != 0) {
                    throw refused("bucket", "bucket '" + bucket + "'", over, over == 1 ? maxBytes : maxObjects);
                }
            }).replaceWithVoid();
        });
    }

    private Uni<Void> addToOwner(String owner, UsageDelta.Change change, Caller caller) {
        if (change.isZero()) {
            return Uni.createFrom().voidItem();
        }
        boolean held = caller != null && !(caller.admin() && caller.is(owner));
        Long maxBytes = held && change.bytes() > 0 ? quota.ownerMaxBytes().orElse(null) : null;
        Long maxObjects = held && change.objects() > 0 ? quota.ownerMaxObjects().orElse(null) : null;
        return add(ADD_TO_OWNER, owner, change, maxBytes, maxObjects).invoke(over -> {
            if (over != 0) {
                throw refused("owner", "owner '" + owner + "'", over, over == 1 ? maxBytes : maxObjects);
            }
        }).replaceWithVoid();
    }

    private static Uni<Integer> add(String statement, String key, UsageDelta.Change change, Long maxBytes, Long maxObjects) {
        return Panache.getSession().chain(s -> s.createNativeQuery(statement, Integer.class)
                .setParameter("key", key)
                .setParameter("bytes", change.bytes())
                .setParameter("objects", change.objects())
                .setParameter("maxBytes", maxBytes == null ? Long.MAX_VALUE : maxBytes)
                .setParameter("maxObjects", maxObjects == null ? Long.MAX_VALUE : maxObjects)
                .getSingleResult());
    }

    private CatalogException refused(String scope, String who, int over, Long limit) {
        String what = over == 1 ? "bytes" : "objects";
        registry.counter("stowage.quota.refusals", "scope", scope, "limit", what).increment();
        return new CatalogException.Refused(SharedErrorCode.QuotaExceeded, "this change would take " + who + " over its quota of "
                + limit + " " + what + (over == 1 ? " stored" : ""));
    }

    /** A bucket's usage and quota; 404 when there is no such bucket. */
    @WithSession
    public Uni<Report> ofBucket(String bucket) {
        return BucketEntity.findExisting(bucket).chain(b -> BucketUsageEntity.<BucketUsageEntity>findById(bucket)
                .map(u -> new Report(u == null ? 0 : u.bytes, u == null ? 0 : u.objects, b.maxBytes, b.maxObjects)));
    }

    /** An owner's usage over every bucket, and the default quota per owner. */
    @WithSession
    public Uni<Report> ofOwner(String owner) {
        return OwnerUsageEntity.<OwnerUsageEntity>findById(owner)
                .map(u -> new Report(u == null ? 0 : u.bytes, u == null ? 0 : u.objects,
                        quota.ownerMaxBytes().orElse(null), quota.ownerMaxObjects().orElse(null)));
    }

    /** Bytes and objects stored in every bucket together (for the gauges). */
    @WithSession
    public Uni<Report> total() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT COALESCE(sum(bytes), 0) || ' ' || COALESCE(sum(objects), 0) FROM bucket_usage", String.class)
                .getSingleResult())
                .map(line -> {
                    String[] parts = line.split(" ");
                    return new Report(Long.parseLong(parts[0]), Long.parseLong(parts[1]), null, null);
                });
    }

    /**
     * Whether a new object of {@code size} bytes owned by {@code owner} would fit the quotas now, replacing
     * {@code replaced} (the live object it overwrites in a bucket that keeps no versions; null when none):
     * the early check before any byte is sent, nothing written. The registration checks again.
     */
    Uni<Void> checkFits(BucketEntity bucket, String owner, long size, ObjectEntity replaced, Caller caller) {
        UsageDelta delta = new UsageDelta();
        ObjectEntity incoming = new ObjectEntity();
        incoming.bucket = bucket.name;
        incoming.owner = owner;
        incoming.size = size;
        delta.counted(incoming);
        if (replaced != null) {
            delta.uncounted(replaced);
        }
        UsageDelta.Change toBucket = delta.buckets().get(bucket.name);
        UsageDelta.Change toOwner = delta.owners().getOrDefault(owner, new UsageDelta.Change(0, 0));
        return BucketUsageEntity.<BucketUsageEntity>findById(bucket.name).chain(b -> {
            long bytes = (b == null ? 0 : b.bytes) + toBucket.bytes();
            long objects = (b == null ? 0 : b.objects) + toBucket.objects();
            if (bucket.maxBytes != null && toBucket.bytes() > 0 && bytes > bucket.maxBytes) {
                return Uni.createFrom().failure(refused("bucket", "bucket '" + bucket.name + "'", 1, bucket.maxBytes));
            }
            if (bucket.maxObjects != null && toBucket.objects() > 0 && objects > bucket.maxObjects) {
                return Uni.createFrom().failure(refused("bucket", "bucket '" + bucket.name + "'", 2, bucket.maxObjects));
            }
            boolean held = caller != null && !(caller.admin() && caller.is(owner));
            Optional<Long> maxBytes = held ? quota.ownerMaxBytes() : Optional.empty();
            Optional<Long> maxObjects = held ? quota.ownerMaxObjects() : Optional.empty();
            if (maxBytes.isEmpty() && maxObjects.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return OwnerUsageEntity.<OwnerUsageEntity>findById(owner).chain(o -> {
                long ownerBytes = (o == null ? 0 : o.bytes) + toOwner.bytes();
                long ownerObjects = (o == null ? 0 : o.objects) + toOwner.objects();
                if (maxBytes.isPresent() && toOwner.bytes() > 0 && ownerBytes > maxBytes.get()) {
                    return Uni.createFrom().failure(refused("owner", "owner '" + owner + "'", 1, maxBytes.get()));
                }
                if (maxObjects.isPresent() && toOwner.objects() > 0 && ownerObjects > maxObjects.get()) {
                    return Uni.createFrom().failure(refused("owner", "owner '" + owner + "'", 2, maxObjects.get()));
                }
                return Uni.createFrom().voidItem();
            });
        });
    }
}
