package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.events.PurgeNotice;
import io.stowage.metadata.access.AccessPolicy;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.access.Visibility;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.error.ErrorCode;
import io.stowage.metadata.jobs.JobEntity;
import io.stowage.metadata.outbox.OutboxWriter;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The objects of the catalog. Every change to a name takes that name's lock (a transaction-scoped
 * advisory lock) first, so concurrent writers of one name queue up in the database: preconditions
 * such as {@code notExists} and {@code ifMatch} are checked under the lock, the unique index on
 * current names backs that up, and the name's events get their sequence numbers in commit order.
 * Every change writes its events to the outbox in the same transaction.
 */
@ApplicationScoped
public class Catalog {

    private static final Logger LOG = Logger.getLogger(Catalog.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final OutboxWriter outbox;

    public Catalog(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    // --- registration ---------------------------------------------------------------------------

    /**
     * Registers an uploaded blob as an object owned by {@code request.owner()} (the caller, or the
     * user a Stowage service registers it for); access checks are the caller's. Idempotent on the
     * upload id: a repeat for the same owner returns the object the first call created.
     */
    @WithTransaction
    public Uni<Registration> register(Caller caller, NewObject request) {
        return ObjectEntity.findByUploadId(request.uploadId())
                .chain(previous -> previous != null
                        ? Uni.createFrom().item(repeatedRegistration(request, previous))
                        : create(caller, request));
    }

    private static Registration repeatedRegistration(NewObject request, ObjectEntity previous) {
        // the owner, not the caller: a service replaying a registration it made for a user names that user
        if (!previous.owner.equals(request.owner())) {
            throw new CatalogException.NotFound(ErrorCode.UploadNotFound, "upload '" + request.uploadId() + "' not found");
        }
        if (previous.deletedAt != null) {
            throw new CatalogException.Gone(ErrorCode.UploadExpired,
                    "upload '" + request.uploadId() + "' was registered and its object has been deleted since");
        }
        return new Registration(previous, false);
    }

    private Uni<Registration> create(Caller caller, NewObject request) {
        return bucketOrFail(request.bucket())
                .invoke(bucket -> checkLimits(bucket, request.size(), request.contentType()))
                .call(() -> lockName(request.bucket(), request.name()))
                .chain(bucket -> ObjectEntity.findCurrent(request.bucket(), request.name())
                        .chain(current -> {
                            checkReplaceable(caller, bucket, current, request.overwrite(), request.ifMatch(),
                                    request.bucket(), request.name());
                            Instant now = now();
                            ObjectEntity object = newRow(request.bucket(), request.name(), now);
                            object.uploadId = request.uploadId();
                            object.blobKey = request.blobKey();
                            object.size = request.size();
                            object.contentType = request.contentType();
                            object.etag = request.etag();
                            object.checksumSha256 = request.checksumSha256();
                            object.owner = request.owner();
                            object.visibility = (request.details().visibility() == null
                                    ? Visibility.PRIVATE : request.details().visibility()).wire();
                            request.details().applyTo(object);
                            return replaceCurrent(bucket, current, now)
                                    .chain(() -> insertLive(object, now))
                                    .replaceWith(new Registration(object, true));
                        }))
                .onFailure(Catalog::isUniqueViolation).transform(e -> objectExists(request.bucket(), request.name()))
                .onFailure(Catalog::isForeignKeyViolation).transform(e -> CatalogException.NotFound.bucket(request.bucket()))
                .invoke(r -> LOG.infof("object %s/%s registered by %s%s (upload %s)",
                        request.bucket(), request.name(), caller.subject(),
                        caller.is(request.owner()) ? "" : " for " + request.owner(), request.uploadId()));
    }

    /**
     * Whether the current row of a name may be replaced: a live object needs {@code overwrite} and
     * a caller who may write it; {@code ifMatch} must equal its etag or version id.
     */
    private static void checkReplaceable(Caller caller, BucketEntity bucket, ObjectEntity current, boolean overwrite,
                                         String ifMatch, String bucketName, String name) {
        boolean live = current != null && current.isLive();
        if (ifMatch != null && (!live || !(ifMatch.equals(current.etag) || ifMatch.equals(current.versionId)))) {
            throw new CatalogException.Precondition("object '" + name + "' in bucket '" + bucketName
                    + "' does not match ifMatch '" + ifMatch + "'");
        }
        if (!live) {
            return;
        }
        if (!overwrite && ifMatch == null) {
            throw objectExists(bucketName, name);
        }
        if (!AccessPolicy.canWrite(caller, current.owner)) {
            throw canRead(caller, bucket, current)
                    ? new CatalogException.Denied("only the owner or an admin may overwrite '" + name + "'")
                    : objectExists(bucketName, name);
        }
    }

    /** The bucket's limits, checked again against what actually landed. */
    static void checkLimits(BucketEntity bucket, long size, String contentType) {
        if (bucket.fileSizeLimit != null && size > bucket.fileSizeLimit) {
            throw new CatalogException.Refused(ErrorCode.PayloadTooLarge, "object of " + size + " bytes exceeds bucket '"
                    + bucket.name + "' limit of " + bucket.fileSizeLimit + " bytes");
        }
        if (!bucket.allows(contentType)) {
            throw new CatalogException.Refused(ErrorCode.InvalidMimeType, "content type '" + contentType
                    + "' is not allowed in bucket '" + bucket.name + "'");
        }
    }

    // --- reads ----------------------------------------------------------------------------------

    /** An object or kept version by id, if the caller may read it; 404 otherwise. */
    @WithSession
    public Uni<ObjectEntity> readable(Caller caller, UUID id) {
        return ObjectEntity.<ObjectEntity>find("id = ?1 and (deletedAt is null or retained = true) and deleteMarker = false", id)
                .firstResult()
                .call(o -> requireReadable(caller, o, () -> CatalogException.NotFound.file(id.toString())));
    }

    /** The current object of a name, or the given version, if the caller may read it; 404 otherwise. */
    @WithSession
    public Uni<ObjectEntity> readable(Caller caller, String bucket, String name, String versionId) {
        Uni<ObjectEntity> row = versionId == null
                ? ObjectEntity.findLive(bucket, name)
                : ObjectEntity.findVersion(bucket, name, versionId).map(o -> o == null || o.deleteMarker ? null : o);
        return row.call(o -> requireReadable(caller, o, () -> CatalogException.NotFound.object(bucket, name)));
    }

    /** Like {@link #readable(Caller, String, String, String)}, and records the access (downloads go through here). */
    @WithTransaction
    public Uni<ObjectEntity> accessed(Caller caller, String bucket, String name, String versionId) {
        return readable(caller, bucket, name, versionId).call(o -> {
            Instant now = now();
            // at most one write a minute per object: reads must not turn into a write each
            if (o.lastAccessedAt != null && o.lastAccessedAt.isAfter(now.minusSeconds(60))) {
                return Uni.createFrom().voidItem();
            }
            o.lastAccessedAt = now;
            return o.persistAndFlush();
        });
    }

    /** Every version of the object {@code id} names, newest first, delete markers included. */
    @WithSession
    public Uni<List<ObjectEntity>> versions(Caller caller, UUID id) {
        return ObjectEntity.<ObjectEntity>find("id = ?1 and (deletedAt is null or retained = true)", id).firstResult()
                .call(o -> requireReadable(caller, o, () -> CatalogException.NotFound.file(id.toString())))
                .chain(o -> ObjectEntity.<ObjectEntity>find(
                        "bucket = ?1 and name = ?2 and (deletedAt is null or retained = true) order by createdAt desc, id desc",
                        o.bucket, o.name).list());
    }

    // --- metadata -------------------------------------------------------------------------------

    /** Changes an object's metadata and visibility: owner or admin. */
    @WithTransaction
    public Uni<ObjectEntity> update(Caller caller, UUID id, ObjectDetails changes) {
        return ObjectEntity.<ObjectEntity>find("id = ?1 and deletedAt is null and deleteMarker = false", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .call(o -> requireWritable(caller, o, () -> CatalogException.NotFound.file(id.toString())))
                .call(o -> {
                    changes.applyTo(o);
                    o.updatedAt = now();
                    return o.persistAndFlush();
                });
    }

    // --- deletes --------------------------------------------------------------------------------

    /**
     * Deletes by id: the current object (a delete marker in a versioned bucket), or, when the id
     * is a kept version, that version for good.
     */
    @WithTransaction
    public Uni<ObjectEntity> delete(Caller caller, UUID id) {
        return ObjectEntity.<ObjectEntity>find("id = ?1 and (deletedAt is null or retained = true) and deleteMarker = false", id)
                .firstResult()
                .call(o -> requireWritable(caller, o, () -> CatalogException.NotFound.file(id.toString())))
                .chain(o -> deleteLocked(caller, o.bucket, o.name, o.deletedAt == null ? null : o.versionId,
                        () -> CatalogException.NotFound.file(id.toString())));
    }

    /** Deletes the current object of a name, or with {@code versionId} that version for good. */
    @WithTransaction
    public Uni<ObjectEntity> delete(Caller caller, String bucket, String name, String versionId) {
        return deleteLocked(caller, bucket, name, versionId, () -> CatalogException.NotFound.object(bucket, name));
    }

    private Uni<ObjectEntity> deleteLocked(Caller caller, String bucketName, String name, String versionId,
                                           Supplier<CatalogException> notFound) {
        return bucketOrFail(bucketName)
                .call(() -> lockName(bucketName, name))
                .chain(bucket -> {
                    Uni<ObjectEntity> row = versionId == null
                            ? ObjectEntity.findLive(bucketName, name)
                            : ObjectEntity.findVersion(bucketName, name, versionId);
                    return row.call(o -> requireWritable(caller, o, notFound))
                            .chain(o -> versionId == null
                                    ? deleteCurrent(bucket, o, now())
                                    : purgeVersion(bucket, o, now()).replaceWith(o));
                })
                .invoke(o -> LOG.infof("object %s/%s%s deleted by %s", bucketName, name,
                        versionId == null ? "" : " version " + versionId, caller.subject()));
    }

    /** Deletes many names of one bucket in one transaction; names that cannot be deleted are reported, not fatal. */
    @WithTransaction
    public Uni<DeleteOutcome> deleteMany(Caller caller, String bucketName, List<String> names) {
        List<ObjectEntity> deleted = new ArrayList<>();
        List<DeleteOutcome.Failure> failed = new ArrayList<>();
        return bucketOrFail(bucketName).chain(bucket -> Multi.createFrom().iterable(names)
                .onItem().transformToUniAndConcatenate(name -> lockName(bucketName, name)
                        .chain(() -> ObjectEntity.findLive(bucketName, name))
                        .chain(o -> {
                            if (o == null || !canRead(caller, bucket, o)) {
                                failed.add(new DeleteOutcome.Failure(name, ErrorCode.ObjectNotFound,
                                        "object '" + name + "' not found in bucket '" + bucketName + "'"));
                                return Uni.createFrom().voidItem();
                            }
                            if (!AccessPolicy.canWrite(caller, o.owner)) {
                                failed.add(new DeleteOutcome.Failure(name, ErrorCode.Forbidden,
                                        "only the owner or an admin may delete '" + name + "'"));
                                return Uni.createFrom().voidItem();
                            }
                            return deleteCurrent(bucket, o, now()).invoke(deleted::add).replaceWithVoid();
                        }))
                .collect().last()
                .map(ignored -> new DeleteOutcome(deleted, failed)));
    }

    /**
     * Takes a live current object away from its name: a versioned bucket keeps it as a version
     * behind a delete marker, any other bucket drops it and its blob reference.
     */
    private Uni<ObjectEntity> deleteCurrent(BucketEntity bucket, ObjectEntity object, Instant now) {
        object.deletedAt = now;
        object.updatedAt = now;
        if (bucket.versioned) {
            object.retained = true;
            ObjectEntity marker = newRow(object.bucket, object.name, now);
            marker.owner = object.owner;
            marker.visibility = object.visibility;
            marker.contentType = "";
            marker.etag = "";
            marker.deleteMarker = true;
            ObjectEventData data = eventData(object, false, 0);
            return object.persistAndFlush()
                    .chain(() -> marker.persistAndFlush())
                    .chain(() -> emit(ObjectEvents.DELETED, data))
                    .replaceWith(object);
        }
        return object.persistAndFlush()
                .chain(() -> releaseBlob(object.blobKey))
                .chain(released -> emit(ObjectEvents.DELETED, eventData(object, released, 0)))
                .replaceWith(object);
    }

    /**
     * Removes one version for good. If it was the current row of a versioned bucket, the newest
     * kept version becomes current again (and announces itself if it is an object, not a marker).
     */
    private Uni<Void> purgeVersion(BucketEntity bucket, ObjectEntity version, Instant now) {
        boolean wasCurrent = version.deletedAt == null;
        if (wasCurrent) {
            version.deletedAt = now;
        }
        version.retained = false;
        version.updatedAt = now;
        Uni<Void> removed = version.persistAndFlush().chain(() -> version.deleteMarker
                ? Uni.createFrom().voidItem()
                : releaseBlob(version.blobKey).chain(released -> emit(ObjectEvents.DELETED, eventData(version, released, 0))));
        if (!wasCurrent || !bucket.versioned) {
            return removed;
        }
        return removed
                .chain(() -> newestKept(version.bucket, version.name))
                .chain(previous -> {
                    if (previous == null) {
                        return Uni.createFrom().voidItem();
                    }
                    previous.deletedAt = null;
                    previous.retained = false;
                    return previous.persistAndFlush().chain(() -> previous.deleteMarker
                            ? Uni.createFrom().voidItem()
                            : emit(ObjectEvents.CREATED, eventData(previous, false, 0)));
                });
    }

    private static Uni<ObjectEntity> newestKept(String bucket, String name) {
        return ObjectEntity.find("bucket = ?1 and name = ?2 and retained = true order by createdAt desc, id desc", bucket, name)
                .firstResult();
    }

    /**
     * Moves the current row of a name out of the way of a new one: into the kept versions of a
     * versioned bucket, or out of the catalog (its blob reference released).
     */
    private Uni<Void> replaceCurrent(BucketEntity bucket, ObjectEntity current, Instant now) {
        if (current == null) {
            return Uni.createFrom().voidItem();
        }
        current.deletedAt = now;
        if (current.deleteMarker) {
            current.retained = bucket.versioned;
            return current.persistAndFlush().replaceWithVoid();
        }
        current.updatedAt = now;
        if (bucket.versioned) {
            current.retained = true;
            return current.persistAndFlush().chain(() -> emit(ObjectEvents.DELETED, eventData(current, false, 0)));
        }
        return current.persistAndFlush()
                .chain(() -> releaseBlob(current.blobKey))
                .chain(released -> emit(ObjectEvents.DELETED, eventData(current, released, 0)));
    }

    // --- move and copy --------------------------------------------------------------------------

    /**
     * Moves or renames an object: rows change, bytes do not. In a versioned source bucket the
     * object stays behind as a kept version under a delete marker and the destination gets a new
     * row referencing the same blob. A version id may name the source only if it is the current
     * one: a kept version belongs to its name's history, and moving it would rewrite that history.
     */
    @WithTransaction
    public Uni<ObjectEntity> move(Caller caller, Transfer t) {
        return transfer(caller, t, true);
    }

    /**
     * Copies an object (or one of its versions): a new row, owned by the caller, that references the
     * same blob; with overrides its user metadata stays behind and the given fields replace the source's.
     */
    @WithTransaction
    public Uni<ObjectEntity> copy(Caller caller, Transfer t) {
        return transfer(caller, t, false);
    }

    private Uni<ObjectEntity> transfer(Caller caller, Transfer t, boolean move) {
        if (t.sourceBucket().equals(t.destinationBucket()) && t.sourceName().equals(t.destinationName())) {
            if (move || t.sourceVersionId() != null) {
                throw new CatalogException.InvalidInput(ErrorCode.InvalidRequest, "source and destination are the same object");
            }
            return rewrite(caller, t);
        }
        return bucketOrFail(t.sourceBucket()).chain(source -> bucketOrFail(t.destinationBucket()).chain(destination ->
                lockNames(t)
                        .chain(() -> sourceRow(t))
                        .call(o -> move
                                ? requireWritable(caller, o, () -> sourceNotFound(t))
                                : requireReadable(caller, o, () -> sourceNotFound(t)))
                        .invoke(o -> {
                            if (move && o.deletedAt != null) {
                                throw new CatalogException.InvalidInput(ErrorCode.InvalidRequest, "version '" + t.sourceVersionId()
                                        + "' of '" + t.sourceName() + "' is not the current object; only the current object "
                                        + "can be moved (a kept version stays in its name's history: copy it instead)");
                            }
                            checkLimits(destination, o.size, t.overrides() == null || t.overrides().contentType() == null
                                    ? o.contentType : t.overrides().contentType());
                        })
                        .chain(o -> ObjectEntity.findCurrent(t.destinationBucket(), t.destinationName())
                                .chain(current -> {
                                    checkReplaceable(caller, destination, current, t.overwrite(), null,
                                            t.destinationBucket(), t.destinationName());
                                    Instant now = now();
                                    return replaceCurrent(destination, current, now)
                                            .chain(() -> move
                                                    ? moveRow(source, o, t, now)
                                                    : copyRow(caller, o, t, now));
                                }))))
                .onFailure(Catalog::isUniqueViolation).transform(e -> objectExists(t.destinationBucket(), t.destinationName()))
                .invoke(o -> LOG.infof("object %s/%s %s to %s/%s by %s", t.sourceBucket(), t.sourceName(),
                        move ? "moved" : "copied", t.destinationBucket(), t.destinationName(), caller.subject()));
    }

    /**
     * A copy of an object onto itself (as Supabase allows): its content type, cache-control and user
     * metadata are rewritten in place, by someone who may write it. Its blob, owner and id stay; the
     * change is announced as the object's new state.
     */
    private Uni<ObjectEntity> rewrite(Caller caller, Transfer t) {
        return bucketOrFail(t.sourceBucket()).chain(bucket -> lockNames(t)
                        .chain(() -> sourceRow(t))
                        .call(o -> requireWritable(caller, o, () -> sourceNotFound(t)))
                        .chain(o -> {
                            if (t.overrides() != null) {
                                checkLimits(bucket, o.size, t.overrides().contentType() == null ? o.contentType
                                        : t.overrides().contentType());
                                t.overrides().applyTo(o);
                            }
                            o.updatedAt = now();
                            return o.<ObjectEntity>persistAndFlush().call(this::emitCreated);
                        }))
                .invoke(o -> LOG.infof("object %s/%s rewritten in place by %s", t.sourceBucket(), t.sourceName(), caller.subject()));
    }

    /**
     * The row a transfer takes: the live object, or the named version (current or kept; a delete
     * marker is no object to take).
     */
    private static Uni<ObjectEntity> sourceRow(Transfer t) {
        return t.sourceVersionId() == null
                ? ObjectEntity.findLive(t.sourceBucket(), t.sourceName())
                : ObjectEntity.findVersion(t.sourceBucket(), t.sourceName(), t.sourceVersionId())
                        .map(o -> o == null || o.deleteMarker ? null : o);
    }

    private static CatalogException sourceNotFound(Transfer t) {
        return t.sourceVersionId() == null
                ? CatalogException.NotFound.object(t.sourceBucket(), t.sourceName())
                : new CatalogException.NotFound(ErrorCode.ObjectNotFound, "version '" + t.sourceVersionId() + "' of object '"
                        + t.sourceName() + "' not found in bucket '" + t.sourceBucket() + "'");
    }

    private Uni<ObjectEntity> moveRow(BucketEntity source, ObjectEntity object, Transfer t, Instant now) {
        ObjectEventData movedOut = eventData(object, false, 0);
        if (source.versioned) {
            ObjectEntity moved = cloneRow(object, t, now);
            moved.owner = object.owner;
            return deleteCurrent(source, object, now)
                    .chain(() -> insertLive(moved, now));
        }
        object.bucket = t.destinationBucket();
        object.name = t.destinationName();
        object.updatedAt = now;
        return object.persistAndFlush()
                .chain(() -> emit(ObjectEvents.DELETED, movedOut))
                .chain(() -> emitCreated(object))
                .replaceWith(object);
    }

    private Uni<ObjectEntity> copyRow(Caller caller, ObjectEntity object, Transfer t, Instant now) {
        ObjectEntity copy = cloneRow(object, t, now);
        copy.owner = caller.subject();
        if (t.overrides() != null) {
            t.overrides().applyTo(copy);
        }
        return insertLive(copy, now);
    }

    private static ObjectEntity cloneRow(ObjectEntity o, Transfer t, Instant now) {
        ObjectEntity c = newRow(t.destinationBucket(), t.destinationName(), now);
        c.blobKey = o.blobKey;
        c.size = o.size;
        c.contentType = o.contentType;
        c.etag = o.etag;
        c.checksumSha256 = o.checksumSha256;
        c.visibility = o.visibility;
        c.sharedWith = o.sharedWith;
        c.category = o.category;
        c.tags = o.tags;
        c.userMetadata = o.userMetadata;
        c.cacheControl = o.cacheControl;
        return c;
    }

    /** Inserts a new current object, takes a reference on its blob and announces it. */
    private Uni<ObjectEntity> insertLive(ObjectEntity object, Instant now) {
        return object.<ObjectEntity>persistAndFlush()
                .call(() -> retainBlob(object.blobKey))
                .call(this::emitCreated);
    }

    private Uni<Void> emitCreated(ObjectEntity object) {
        return emit(ObjectEvents.CREATED, eventData(object, false, 0));
    }

    // --- cache purges ---------------------------------------------------------------------------

    /**
     * Records a cache purge (Supabase's CDN purge routes) as a {@link ObjectEvents#PURGED} event:
     * image-service drops the renditions it names and a CDN in front of Stowage can be purged by a
     * consumer. Admins only. One object: its current version must exist (404 otherwise) and the notice
     * is ordered with its other events; a bucket: it must exist; {@code bucket} null: everything.
     */
    @WithTransaction
    public Uni<PurgeNotice> purge(Caller caller, String bucketName, String name, boolean transformations) {
        if (!caller.admin()) {
            return Uni.createFrom().failure(new CatalogException.Denied("only the service role or an admin may purge cached objects"));
        }
        if (bucketName == null) {
            return announce(new PurgeNotice(PurgeNotice.ALL, null, null, null, null, transformations, caller.subject(), 0));
        }
        Uni<PurgeNotice> notice = name == null
                ? bucketOrFail(bucketName).replaceWith(() ->
                        new PurgeNotice(PurgeNotice.BUCKET, bucketName, null, null, null, transformations, caller.subject(), 0))
                : bucketOrFail(bucketName).chain(b -> ObjectEntity.findLive(bucketName, name))
                        .onItem().ifNull().failWith(() -> CatalogException.NotFound.object(bucketName, name))
                        .chain(o -> nextSequence(bucketName, name).map(sequence -> new PurgeNotice(PurgeNotice.OBJECT,
                                bucketName, name, o.versionId, o.blobKey, transformations, caller.subject(), sequence)));
        return notice.chain(this::announce);
    }

    private Uni<PurgeNotice> announce(PurgeNotice notice) {
        return outbox.append(notice, now()).replaceWith(notice)
                .invoke(n -> LOG.infof("cache purge of %s (%s) asked by %s", n.key(), n.scope(), n.requestedBy()));
    }

    // --- background jobs ------------------------------------------------------------------------

    /** How many rows a job will go through (its progress total). */
    @WithSession
    public Uni<Long> jobSize(JobEntity job) {
        return JobEntity.EMPTY_BUCKET.equals(job.kind)
                ? ObjectEntity.count("bucket = ?1 and (deletedAt is null or retained = true)", job.bucket)
                : prefixRows(job, Integer.MAX_VALUE).map(List::size).map(Integer::longValue);
    }

    /**
     * One batch of a job, in one transaction: empties (every version, for good) or deletes the
     * current objects under a prefix. Returns how many rows it handled; 0 means the job is done.
     */
    @WithTransaction
    public Uni<Integer> jobBatch(JobEntity job, int batchSize) {
        Caller caller = new Caller(job.caller, job.callerAdmin);
        boolean empty = JobEntity.EMPTY_BUCKET.equals(job.kind);
        return BucketEntity.<BucketEntity>findById(job.bucket).chain(bucket -> {
            if (bucket == null) {
                return Uni.createFrom().item(0);
            }
            Uni<List<ObjectEntity>> rows = empty
                    ? ObjectEntity.<ObjectEntity>find("bucket = ?1 and (deletedAt is null or retained = true) order by name, id", job.bucket)
                            .page(0, batchSize).list()
                    : prefixRows(job, batchSize);
            return rows.chain(list -> Multi.createFrom().iterable(list)
                    .onItem().transformToUniAndConcatenate(o -> lockName(o.bucket, o.name)
                            .chain(() -> empty ? purgeVersion(bucket, o, now()) : deleteCurrent(bucket, o, now()).replaceWithVoid()))
                    .collect().last()
                    .chain(() -> JobEntity.<JobEntity>findById(job.id))
                    .call(j -> {
                        j.done += list.size();
                        j.heartbeatAt = now();
                        return j.persistAndFlush();
                    })
                    .replaceWith(list.size()));
        });
    }

    /** Current objects under a job's prefix that its caller may delete. */
    private static Uni<List<ObjectEntity>> prefixRows(JobEntity job, int limit) {
        String end = io.stowage.metadata.listing.ListingQuery.successor(job.prefix);
        StringBuilder query = new StringBuilder("bucket = :bucket and deletedAt is null and deleteMarker = false and name >= :prefix");
        Parameters params = Parameters.with("bucket", job.bucket).and("prefix", job.prefix);
        if (end != null) {
            query.append(" and name < :end");
            params.and("end", end);
        }
        if (!job.callerAdmin) {
            query.append(" and owner = :owner");
            params.and("owner", job.caller);
        }
        return ObjectEntity.<ObjectEntity>find(query.append(" order by name").toString(), params).page(0, limit).list();
    }

    // --- helpers --------------------------------------------------------------------------------

    private static Uni<BucketEntity> bucketOrFail(String name) {
        return BucketEntity.<BucketEntity>findById(name).onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(name));
    }

    private static boolean canRead(Caller caller, BucketEntity bucket, ObjectEntity o) {
        return AccessPolicy.canRead(caller, bucket.isPublic, o.owner, o.visibilityLevel(), o.sharedWith);
    }

    /** Fails with {@code notFound} unless the caller may read the object. */
    private static Uni<Void> requireReadable(Caller caller, ObjectEntity object, Supplier<CatalogException> notFound) {
        if (object == null) {
            return Uni.createFrom().failure(notFound.get());
        }
        if (caller.admin() || caller.is(object.owner) || object.visibilityLevel() == Visibility.PUBLIC) {
            return Uni.createFrom().voidItem();
        }
        return BucketEntity.<BucketEntity>findById(object.bucket).chain(bucket -> bucket != null && canRead(caller, bucket, object)
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(notFound.get()));
    }

    /** 404 unless the caller may read the object, 403 unless the caller may also change it. */
    private static Uni<Void> requireWritable(Caller caller, ObjectEntity object, Supplier<CatalogException> notFound) {
        return requireReadable(caller, object, notFound).chain(() -> AccessPolicy.canWrite(caller, object.owner)
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new CatalogException.Denied(
                        "only the owner or an admin may change '" + object.name + "' in bucket '" + object.bucket + "'")));
    }

    private static ObjectEntity newRow(String bucket, String name, Instant now) {
        ObjectEntity o = new ObjectEntity();
        o.id = UUID.randomUUID();
        o.bucket = bucket;
        o.name = name;
        o.versionId = UUID.randomUUID().toString();
        o.visibility = Visibility.PRIVATE.wire();
        o.createdAt = now;
        o.updatedAt = now;
        return o;
    }

    /** Serialises writers of one name until the transaction ends. */
    private static Uni<Void> lockName(String bucket, String name) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                                "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))) AS locked", Long.class)
                        .setParameter("key", ObjectEvents.key(bucket, name))
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** Both names of a move or copy, in one global order so that crossing transfers cannot deadlock. */
    private static Uni<Void> lockNames(Transfer t) {
        String a = ObjectEvents.key(t.sourceBucket(), t.sourceName());
        String b = ObjectEvents.key(t.destinationBucket(), t.destinationName());
        boolean sourceFirst = a.compareTo(b) <= 0;
        return sourceFirst
                ? lockName(t.sourceBucket(), t.sourceName()).chain(() -> lockName(t.destinationBucket(), t.destinationName()))
                : lockName(t.destinationBucket(), t.destinationName()).chain(() -> lockName(t.sourceBucket(), t.sourceName()));
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

    /** Appends an event to the outbox with the name's next sequence number. */
    private Uni<Void> emit(String type, ObjectEventData data) {
        return nextSequence(data.bucket(), data.name())
                .chain(sequence -> outbox.append(type, withSequence(data, sequence), now()))
                .replaceWithVoid();
    }

    private static ObjectEventData withSequence(ObjectEventData d, long sequence) {
        return new ObjectEventData(d.bucket(), d.name(), d.versionId(), d.size(), d.contentType(), d.etag(), d.owner(),
                d.visibility(), d.blobKey(), d.blobReleased(), sequence);
    }

    private static ObjectEventData eventData(ObjectEntity o, boolean blobReleased, long sequence) {
        return new ObjectEventData(o.bucket, o.name, o.versionId, o.size, o.contentType, o.etag, o.owner,
                o.visibility, o.blobKey, blobReleased, sequence);
    }

    private static CatalogException objectExists(String bucket, String name) {
        return new CatalogException.Conflict(ErrorCode.ObjectAlreadyExists,
                "object '" + name + "' already exists in bucket '" + bucket + "'");
    }

    /** A unique index refused the row: a concurrent request took the name first. */
    static boolean isUniqueViolation(Throwable failure) {
        return hasSqlState(failure, UNIQUE_VIOLATION);
    }

    static boolean isForeignKeyViolation(Throwable failure) {
        return hasSqlState(failure, FOREIGN_KEY_VIOLATION);
    }

    private static boolean hasSqlState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && state.equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cv && state.equals(cv.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL keeps microseconds: truncate so what we return equals what we stored. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
