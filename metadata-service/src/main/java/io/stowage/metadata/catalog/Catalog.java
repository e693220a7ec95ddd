package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.metadata.access.AccessPolicy;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.outbox.OutboxWriter;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The catalog: buckets and objects in PostgreSQL. Every change to an object writes its event to the
 * outbox in the same transaction.
 */
@ApplicationScoped
public class Catalog {

    private static final Logger LOG = Logger.getLogger(Catalog.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final OutboxWriter outbox;

    public Catalog(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<BucketEntity> createBucket(Caller caller, NewBucket request) {
        return BucketEntity.<BucketEntity>findById(request.name())
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(bucketExists(request.name()));
                    }
                    Instant now = now();
                    BucketEntity bucket = new BucketEntity();
                    bucket.name = request.name();
                    bucket.isPublic = request.isPublic();
                    bucket.fileSizeLimit = request.fileSizeLimit();
                    bucket.allowedMimeTypes = request.allowedMimeTypes() == null ? null : String.join(",", request.allowedMimeTypes());
                    bucket.owner = caller.subject();
                    bucket.createdAt = now;
                    bucket.updatedAt = now;
                    return bucket.<BucketEntity>persistAndFlush();
                })
                .onFailure(Catalog::isUniqueViolation).transform(e -> bucketExists(request.name()))
                .invoke(b -> LOG.infof("bucket %s created by %s", b.name, caller.subject()));
    }

    @WithSession
    public Uni<List<BucketEntity>> listBuckets() {
        return BucketEntity.listAll(Sort.by("name"));
    }

    @WithSession
    public Uni<BucketEntity> bucket(String name) {
        return BucketEntity.<BucketEntity>findById(name)
                .onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(name));
    }

    /**
     * Registers an uploaded blob as an object owned by the caller. Idempotent on the upload id: a
     * repeat returns the object the first call created.
     */
    @WithTransaction
    public Uni<Registration> register(Caller caller, NewObject request) {
        return ObjectEntity.findByUploadId(request.uploadId())
                .chain(previous -> previous != null
                        ? Uni.createFrom().item(repeatedRegistration(caller, request, previous))
                        : create(caller, request));
    }

    private Registration repeatedRegistration(Caller caller, NewObject request, ObjectEntity previous) {
        if (!previous.owner.equals(caller.subject())) {
            throw new CatalogException.NotFound(ErrorCode.UploadNotFound, "upload '" + request.uploadId() + "' not found");
        }
        if (previous.deletedAt != null) {
            throw new CatalogException.Gone(ErrorCode.UploadExpired,
                    "upload '" + request.uploadId() + "' was registered and its object has been deleted since");
        }
        return new Registration(previous, false);
    }

    private Uni<Registration> create(Caller caller, NewObject request) {
        return BucketEntity.<BucketEntity>findById(request.bucket())
                .onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(request.bucket()))
                .chain(bucket -> ObjectEntity.findLive(request.bucket(), request.name()))
                .chain(taken -> {
                    if (taken != null) {
                        return Uni.createFrom().failure(objectExists(request));
                    }
                    Instant now = now();
                    ObjectEntity object = new ObjectEntity();
                    object.id = UUID.randomUUID();
                    object.bucket = request.bucket();
                    object.name = request.name();
                    object.versionId = UUID.randomUUID().toString();
                    object.uploadId = request.uploadId();
                    object.blobKey = request.blobKey();
                    object.size = request.size();
                    object.contentType = request.contentType();
                    object.etag = request.etag();
                    object.checksumSha256 = request.checksumSha256();
                    object.owner = caller.subject();
                    object.visibility = request.visibility().wire();
                    object.createdAt = now;
                    object.updatedAt = now;
                    return object.<ObjectEntity>persistAndFlush()
                            .call(() -> retainBlob(object.blobKey))
                            .chain(() -> nextSequence(object.bucket, object.name))
                            .call(sequence -> outbox.append(ObjectEvents.CREATED, eventData(object, false, sequence), now))
                            .replaceWith(new Registration(object, true));
                })
                .onFailure(Catalog::isUniqueViolation).transform(e -> objectExists(request))
                .invoke(r -> LOG.infof("object %s/%s registered by %s (upload %s)",
                        request.bucket(), request.name(), caller.subject(), request.uploadId()));
    }

    @WithSession
    public Uni<ObjectEntity> readable(Caller caller, UUID id) {
        return ObjectEntity.findLive(id)
                .map(o -> requireReadable(caller, o, () -> CatalogException.NotFound.file(id.toString())));
    }

    @WithSession
    public Uni<ObjectEntity> readable(Caller caller, String bucket, String name) {
        return ObjectEntity.findLive(bucket, name)
                .map(o -> requireReadable(caller, o, () -> CatalogException.NotFound.object(bucket, name)));
    }

    /** Deletes an object (owner or admin); its blob is released when no live object references it any more. */
    @WithTransaction
    public Uni<ObjectEntity> delete(Caller caller, UUID id) {
        return ObjectEntity.<ObjectEntity>find("id = ?1 and deletedAt is null", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .map(o -> requireReadable(caller, o, () -> CatalogException.NotFound.file(id.toString())))
                .chain(object -> {
                    if (!AccessPolicy.canDelete(caller, object.owner)) {
                        return Uni.createFrom().failure(new CatalogException.Denied(
                                "only the owner or an admin may delete file '" + id + "'"));
                    }
                    Instant now = now();
                    object.deletedAt = now;
                    object.updatedAt = now;
                    return object.<ObjectEntity>persistAndFlush()
                            .chain(() -> releaseBlob(object.blobKey))
                            .chain(released -> nextSequence(object.bucket, object.name)
                                    .call(sequence -> outbox.append(ObjectEvents.DELETED, eventData(object, released, sequence), now)))
                            .replaceWith(object);
                })
                .invoke(o -> LOG.infof("object %s/%s deleted by %s", o.bucket, o.name, caller.subject()));
    }

    private static ObjectEntity requireReadable(Caller caller, ObjectEntity object,
                                                java.util.function.Supplier<CatalogException> notFound) {
        if (object == null || !AccessPolicy.canRead(caller, object.owner, object.visibilityLevel())) {
            throw notFound.get();
        }
        return object;
    }

    /*
     * The blob and sequence statements return a row on purpose: a native executeUpdate leaves bulk-operation
     * clean-up actions that Hibernate Reactive's shared session warns about on close.
     */
    private static Uni<Long> retainBlob(String blobKey) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO blobs (blob_key, ref_count) VALUES (:key, 1)
                        ON CONFLICT (blob_key) DO UPDATE SET ref_count = blobs.ref_count + 1
                        RETURNING ref_count
                        """, Long.class)
                .setParameter("key", blobKey)
                .getSingleResult());
    }

    /** Drops one reference; true when it was the last, so the blob may be deleted from storage. */
    private static Uni<Boolean> releaseBlob(String blobKey) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                                UPDATE blobs SET ref_count = ref_count - 1 WHERE blob_key = :key RETURNING ref_count
                                """, Long.class)
                        .setParameter("key", blobKey)
                        .getResultList()
                        .chain(left -> {
                            boolean released = left.isEmpty() || left.getFirst() <= 0;
                            if (!released) {
                                return Uni.createFrom().item(false);
                            }
                            return s.createNativeQuery("DELETE FROM blobs WHERE blob_key = :key AND ref_count <= 0 RETURNING blob_key",
                                            String.class)
                                    .setParameter("key", blobKey)
                                    .getResultList()
                                    .replaceWith(true);
                        }));
    }

    /** The next event sequence number of a (bucket, name); the row lock orders concurrent changes. */
    private static Uni<Long> nextSequence(String bucket, String name) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO object_sequences (bucket, name, last_sequence) VALUES (:bucket, :name, 1)
                        ON CONFLICT (bucket, name) DO UPDATE SET last_sequence = object_sequences.last_sequence + 1
                        RETURNING last_sequence
                        """, Long.class)
                .setParameter("bucket", bucket)
                .setParameter("name", name)
                .getSingleResult());
    }

    private static ObjectEventData eventData(ObjectEntity o, boolean blobReleased, long sequence) {
        return new ObjectEventData(o.bucket, o.name, o.versionId, o.size, o.contentType, o.etag, o.owner,
                o.visibility, o.blobKey, blobReleased, sequence);
    }

    private static CatalogException bucketExists(String name) {
        return new CatalogException.Conflict(ErrorCode.BucketAlreadyExists, "bucket '" + name + "' already exists");
    }

    private static CatalogException objectExists(NewObject request) {
        return new CatalogException.Conflict(ErrorCode.ObjectAlreadyExists,
                "object '" + request.name() + "' already exists in bucket '" + request.bucket() + "'");
    }

    /** A unique index refused the row: a concurrent request took the name first. */
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv
                    && UNIQUE_VIOLATION.equals(cv.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL keeps microseconds: truncate so what we return equals what we stored. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
