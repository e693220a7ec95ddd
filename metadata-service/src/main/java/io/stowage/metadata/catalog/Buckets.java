package io.stowage.metadata.catalog;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEvents;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.listing.ListingQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/** The buckets of the catalog. Every change writes its bucket event to the outbox in its transaction ({@link BucketEvents}). */
@ApplicationScoped
public class Buckets {

    private static final Logger LOG = Logger.getLogger(Buckets.class);

    private final BucketEvents events;

    public Buckets(BucketEvents events) {
        this.events = events;
    }

    @WithTransaction
    public Uni<BucketEntity> create(Caller caller, NewBucket request) {
        return BucketEntity.<BucketEntity>findById(request.name())
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(bucketExists(request.name()));
                    }
                    Instant now = CatalogTime.now();
                    BucketEntity bucket = new BucketEntity();
                    bucket.name = request.name();
                    bucket.isPublic = request.isPublic();
                    bucket.fileSizeLimit = request.fileSizeLimit();
                    bucket.allowedMimeTypes = request.allowedMimeTypes() == null ? null : String.join(",", request.allowedMimeTypes());
                    bucket.versioned = request.versioned();
                    bucket.maxBytes = request.maxBytes();
                    bucket.maxObjects = request.maxObjects();
                    bucket.owner = caller.subject();
                    bucket.createdAt = now;
                    bucket.updatedAt = now;
                    return bucket.<BucketEntity>persistAndFlush()
                            .call(b -> events.emit(ObjectEvents.BUCKET_CREATED, b, List.of(), caller.subject()));
                })
                .onFailure(Constraints::isUniqueViolation).transform(e -> bucketExists(request.name()))
                .invoke(b -> LOG.infof("bucket %s created by %s", b.name, caller.subject()));
    }

    /** Buckets sorted by name; {@code search} matches a substring of the name, literally. */
    @WithSession
    public Uni<List<BucketEntity>> list(String search) {
        if (search == null || search.isEmpty()) {
            return BucketEntity.listAll(Sort.by("name"));
        }
        return BucketEntity.list("name like ?1 escape '\\' order by name", "%" + ListingQuery.escapeLike(search) + "%");
    }

    @WithSession
    public Uni<BucketEntity> get(String name) {
        return BucketEntity.<BucketEntity>findById(name)
                .onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(name));
    }

    @WithTransaction
    public Uni<BucketEntity> update(Caller caller, String name, BucketChanges changes) {
        return BucketEntity.<BucketEntity>findById(name, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(name))
                .call(b -> {
                    if (changes.isPublic() != null) {
                        b.isPublic = changes.isPublic();
                    }
                    if (changes.fileSizeLimit() != null) {
                        b.fileSizeLimit = changes.fileSizeLimit().orElse(null);
                    }
                    if (changes.allowedMimeTypes() != null) {
                        b.allowedMimeTypes = changes.allowedMimeTypes().map(types -> String.join(",", types)).orElse(null);
                    }
                    if (changes.versioned() != null) {
                        b.versioned = changes.versioned();
                    }
                    if (changes.maxBytes() != null) {
                        b.maxBytes = changes.maxBytes().orElse(null);
                    }
                    if (changes.maxObjects() != null) {
                        b.maxObjects = changes.maxObjects().orElse(null);
                    }
                    b.updatedAt = CatalogTime.now();
                    return b.persistAndFlush()
                            .call(() -> events.emit(ObjectEvents.BUCKET_UPDATED, b, changes.named(), caller.subject()));
                })
                .invoke(b -> LOG.infof("bucket %s updated by %s", name, caller.subject()));
    }

    /**
     * Deletes an empty bucket. The row lock makes a registration racing with the delete either
     * land first (and the bucket is not empty) or fail its foreign key (bucket not found).
     */
    @WithTransaction
    public Uni<BucketEntity> delete(Caller caller, String name) {
        return BucketEntity.<BucketEntity>findById(name, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(name))
                .call(b -> ObjectEntity.count("bucket = ?1 and (deletedAt is null or retained = true)", name).chain(n -> n > 0
                        ? Uni.createFrom().failure(new CatalogException.Conflict(SharedErrorCode.BucketNotEmpty,
                                "bucket '" + name + "' holds " + n + " objects or versions; empty it first"))
                        // what is left are rows of deleted objects, kept only for upload-id history; a native
                        // statement that returns rows, as bulk HQL leaves clean-up actions the reactive session warns about
                        : Panache.getSession().chain(s -> s.createNativeQuery(
                                        "DELETE FROM objects WHERE bucket = :bucket RETURNING id", java.util.UUID.class)
                                .setParameter("bucket", name)
                                .getResultList())))
                .call(b -> events.emit(ObjectEvents.BUCKET_DELETED, b, List.of(), caller.subject()))
                .call(b -> b.delete())
                .invoke(b -> LOG.infof("bucket %s deleted by %s", name, caller.subject()));
    }

    private static CatalogException bucketExists(String name) {
        return new CatalogException.Conflict(SharedErrorCode.BucketAlreadyExists, "bucket '" + name + "' already exists");
    }
}
