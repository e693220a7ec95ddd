package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.error.ErrorCode;
import io.stowage.metadata.jobs.JobEntity;
import io.stowage.metadata.listing.ListingQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The buckets of the catalog, and the background jobs that empty them or delete by prefix. */
@ApplicationScoped
public class Buckets {

    private static final Logger LOG = Logger.getLogger(Buckets.class);

    @WithTransaction
    public Uni<BucketEntity> create(Caller caller, NewBucket request) {
        return BucketEntity.<BucketEntity>findById(request.name())
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(bucketExists(request.name()));
                    }
                    Instant now = Catalog.now();
                    BucketEntity bucket = new BucketEntity();
                    bucket.name = request.name();
                    bucket.isPublic = request.isPublic();
                    bucket.fileSizeLimit = request.fileSizeLimit();
                    bucket.allowedMimeTypes = request.allowedMimeTypes() == null ? null : String.join(",", request.allowedMimeTypes());
                    bucket.versioned = request.versioned();
                    bucket.owner = caller.subject();
                    bucket.createdAt = now;
                    bucket.updatedAt = now;
                    return bucket.<BucketEntity>persistAndFlush();
                })
                .onFailure(Catalog::isUniqueViolation).transform(e -> bucketExists(request.name()))
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
                    b.updatedAt = Catalog.now();
                    return b.persistAndFlush();
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
                        ? Uni.createFrom().failure(new CatalogException.Conflict(ErrorCode.BucketNotEmpty,
                                "bucket '" + name + "' holds " + n + " objects or versions; empty it first"))
                        // what is left are rows of deleted objects, kept only for upload-id history; a native
                        // statement that returns rows, as bulk HQL leaves clean-up actions the reactive session warns about
                        : Panache.getSession().chain(s -> s.createNativeQuery(
                                        "DELETE FROM objects WHERE bucket = :bucket RETURNING id", java.util.UUID.class)
                                .setParameter("bucket", name)
                                .getResultList())))
                .call(b -> b.delete())
                .invoke(b -> LOG.infof("bucket %s deleted by %s", name, caller.subject()));
    }

    /** Starts a background job that empties the bucket, every version included. */
    @WithTransaction
    public Uni<JobEntity> startEmpty(Caller caller, String name) {
        return get(name).chain(b -> newJob(caller, JobEntity.EMPTY_BUCKET, name, null));
    }

    /** Starts a background job that deletes the current objects under a prefix that the caller may delete. */
    @WithTransaction
    public Uni<JobEntity> startDeletePrefix(Caller caller, String bucket, String prefix) {
        return get(bucket).chain(b -> newJob(caller, JobEntity.DELETE_PREFIX, bucket, prefix));
    }

    /** A job, to its starter or an admin; 404 for anyone else. */
    @WithSession
    public Uni<JobEntity> job(Caller caller, UUID id) {
        return JobEntity.<JobEntity>findById(id).map(j -> {
            if (j == null || !(caller.admin() || caller.is(j.caller))) {
                throw new CatalogException.NotFound(ErrorCode.JobNotFound, "job '" + id + "' not found");
            }
            return j;
        });
    }

    private static Uni<JobEntity> newJob(Caller caller, String kind, String bucket, String prefix) {
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID();
        job.kind = kind;
        job.bucket = bucket;
        job.prefix = prefix;
        job.caller = caller.subject();
        job.callerAdmin = caller.admin();
        job.state = "pending";
        job.createdAt = Catalog.now();
        return job.<JobEntity>persistAndFlush()
                .invoke(j -> LOG.infof("job %s (%s of %s%s) started by %s", j.id, kind, bucket,
                        prefix == null ? "" : " prefix " + prefix, caller.subject()));
    }

    private static CatalogException bucketExists(String name) {
        return new CatalogException.Conflict(ErrorCode.BucketAlreadyExists, "bucket '" + name + "' already exists");
    }
}
