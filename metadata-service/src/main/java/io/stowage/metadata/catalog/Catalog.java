package io.stowage.metadata.catalog;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.AccessPolicy;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.access.Visibility;
import io.stowage.metadata.error.CatalogException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static io.stowage.metadata.catalog.ObjectGuards.canRead;
import static io.stowage.metadata.catalog.ObjectGuards.requireReadable;
import static io.stowage.metadata.catalog.ObjectGuards.requireWritable;

/**
 * The objects of the catalog: registration, reads, metadata and deletes (moves and copies are
 * {@link Transfers}). Every change to a name takes that name's lock ({@link NameLocks}) first, so
 * concurrent writers of one name queue up in the database: preconditions such as {@code notExists}
 * and {@code ifMatch} are checked under the lock, the unique index on current names backs that up,
 * and the name's events get their sequence numbers in commit order. Every change writes its events
 * to the outbox and its usage ({@link Usage}, quotas checked) in the same transaction ({@link Versions}).
 */
@ApplicationScoped
public class Catalog {

    private static final Logger LOG = Logger.getLogger(Catalog.class);

    private final Versions versions;
    private final Usage usage;

    public Catalog(Versions versions, Usage usage) {
        this.versions = versions;
        this.usage = usage;
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
            throw new CatalogException.NotFound(SharedErrorCode.UploadNotFound, "upload '" + request.uploadId() + "' not found");
        }
        if (previous.deletedAt != null) {
            throw new CatalogException.Gone(SharedErrorCode.UploadExpired,
                    "upload '" + request.uploadId() + "' was registered and its object has been deleted since");
        }
        return new Registration(previous, false);
    }

    private Uni<Registration> create(Caller caller, NewObject request) {
        return BucketEntity.findExisting(request.bucket())
                .invoke(bucket -> ObjectGuards.checkLimits(bucket, request.size(), request.contentType()))
                .call(() -> NameLocks.lock(request.bucket(), request.name()))
                .chain(bucket -> ObjectEntity.findCurrent(request.bucket(), request.name())
                        .chain(current -> {
                            ObjectGuards.checkReplaceable(caller, bucket, current, request.overwrite(), request.ifMatch(),
                                    request.bucket(), request.name());
                            Instant now = CatalogTime.now();
                            ObjectEntity object = ObjectEntity.newRow(request.bucket(), request.name(), now);
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
                            UsageDelta delta = new UsageDelta();
                            return versions.replaceCurrent(bucket, current, now, delta)
                                    .chain(() -> versions.insertLive(object, delta))
                                    .call(() -> usage.apply(delta, caller))
                                    .replaceWith(new Registration(object, true));
                        }))
                .onFailure(Constraints::isUniqueViolation)
                .transform(e -> CatalogException.Conflict.object(request.bucket(), request.name()))
                .onFailure(Constraints::isForeignKeyViolation).transform(e -> CatalogException.NotFound.bucket(request.bucket()))
                .invoke(r -> LOG.infof("object %s/%s registered by %s%s (upload %s)",
                        request.bucket(), request.name(), caller.subject(),
                        caller.is(request.owner()) ? "" : " for " + request.owner(), request.uploadId()));
    }

    /**
     * Whether a registration of {@code name} by {@code caller} for {@code owner} would be refused now (no
     * bucket, the name taken without overwrite, someone else's object, and a new object of {@code size}
     * bytes over a quota; with {@code overwrite}, the object it would replace no longer counts): the same
     * rules, nothing written. With {@code checkName} false only the bucket and the quotas are asked about
     * (the name is decided at registration).
     */
    @WithSession
    public Uni<Void> checkWrite(Caller caller, String bucket, String name, boolean overwrite, boolean checkName,
                                String owner, long size) {
        return BucketEntity.findExisting(bucket).chain(found -> ObjectEntity.findCurrent(bucket, name)
                .invoke(current -> {
                    if (checkName) {
                        ObjectGuards.checkReplaceable(caller, found, current, overwrite, null, bucket, name);
                    }
                })
                // what an overwrite frees in a bucket that keeps no versions (without the name check too: the
                // registration refuses a name the caller may not replace anyway)
                .chain(current -> usage.checkFits(found, owner, size,
                        overwrite && current != null && current.isLive() && !found.versioned ? current : null, caller)));
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
            Instant now = CatalogTime.now();
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

    /**
     * Changes an object's metadata and visibility: owner or admin, under the name's lock, with
     * {@code ifMatch} (may be null) checked against the row as it is then. A change that names a field
     * is announced ({@link Versions#emitUpdated}) in the same transaction.
     */
    @WithTransaction
    public Uni<ObjectEntity> update(Caller caller, UUID id, ObjectDetails changes, IfMatch ifMatch) {
        Supplier<CatalogException> notFound = () -> CatalogException.NotFound.file(id.toString());
        return ObjectEntity.findLive(id)
                .call(o -> requireWritable(caller, o, notFound))
                .chain(o -> {
                    String bucket = o.bucket;
                    String name = o.name;
                    return NameLocks.lock(bucket, name)
                            // the row as it is under the lock: another change of it may have committed meanwhile
                            .chain(() -> Panache.getSession().chain(s -> s.refresh(o, LockModeType.PESSIMISTIC_WRITE)))
                            .replaceWith(o)
                            .map(locked -> locked.isLive() && bucket.equals(locked.bucket) && name.equals(locked.name) ? locked : null);
                })
                .call(o -> requireWritable(caller, o, notFound))
                .call(o -> {
                    IfMatch.require(ifMatch, o, "file '" + id + "'");
                    changes.applyTo(o);
                    o.updatedAt = CatalogTime.now();
                    List<String> named = changes.named();
                    return o.persistAndFlush().chain(() -> named.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : versions.emitUpdated(o, named));
                })
                .invoke(o -> LOG.infof("object %s/%s updated by %s", o.bucket, o.name, caller.subject()));
    }

    // --- deletes --------------------------------------------------------------------------------

    /**
     * Deletes by id: the current object (a delete marker in a versioned bucket), or, when the id
     * is a kept version, that version for good.
     */
    @WithTransaction
    public Uni<ObjectEntity> delete(Caller caller, UUID id, IfMatch ifMatch) {
        return ObjectEntity.<ObjectEntity>find("id = ?1 and (deletedAt is null or retained = true) and deleteMarker = false", id)
                .firstResult()
                .call(o -> requireWritable(caller, o, () -> CatalogException.NotFound.file(id.toString())))
                .chain(o -> deleteLocked(caller, o.bucket, o.name, o.deletedAt == null ? null : o.versionId, ifMatch,
                        () -> CatalogException.NotFound.file(id.toString())));
    }

    /**
     * Deletes the current object of a name, or with {@code versionId} that version for good;
     * {@code ifMatch} (may be null) must hold for the row deleted.
     */
    @WithTransaction
    public Uni<ObjectEntity> delete(Caller caller, String bucket, String name, String versionId, IfMatch ifMatch) {
        return deleteLocked(caller, bucket, name, versionId, ifMatch, () -> CatalogException.NotFound.object(bucket, name));
    }

    private Uni<ObjectEntity> deleteLocked(Caller caller, String bucketName, String name, String versionId, IfMatch ifMatch,
                                           Supplier<CatalogException> notFound) {
        return BucketEntity.findExisting(bucketName)
                .call(() -> NameLocks.lock(bucketName, name))
                .chain(bucket -> {
                    Uni<ObjectEntity> row = versionId == null
                            ? ObjectEntity.findLive(bucketName, name)
                            : ObjectEntity.findVersion(bucketName, name, versionId);
                    UsageDelta delta = new UsageDelta();
                    return row.call(o -> requireWritable(caller, o, notFound))
                            .invoke(o -> IfMatch.require(ifMatch, o, "object '" + name + "' in bucket '" + bucketName + "'"))
                            .chain(o -> versionId == null
                                    ? versions.deleteCurrent(bucket, o, CatalogTime.now(), delta)
                                    : versions.purgeVersion(bucket, o, CatalogTime.now(), delta).replaceWith(o))
                            .call(() -> usage.apply(delta, caller));
                })
                .invoke(o -> LOG.infof("object %s/%s%s deleted by %s", bucketName, name,
                        versionId == null ? "" : " version " + versionId, caller.subject()));
    }

    /** Deletes many names of one bucket in one transaction; names that cannot be deleted are reported, not fatal. */
    @WithTransaction
    public Uni<DeleteOutcome> deleteMany(Caller caller, String bucketName, List<String> names) {
        List<ObjectEntity> deleted = new ArrayList<>();
        List<DeleteOutcome.Failure> failed = new ArrayList<>();
        UsageDelta delta = new UsageDelta();
        return BucketEntity.findExisting(bucketName).chain(bucket -> Multi.createFrom().iterable(names)
                .onItem().transformToUniAndConcatenate(name -> NameLocks.lock(bucketName, name)
                        .chain(() -> ObjectEntity.findLive(bucketName, name))
                        .chain(o -> {
                            if (o == null || !canRead(caller, bucket, o)) {
                                failed.add(new DeleteOutcome.Failure(name, SharedErrorCode.ObjectNotFound,
                                        "object '" + name + "' not found in bucket '" + bucketName + "'"));
                                return Uni.createFrom().voidItem();
                            }
                            if (!AccessPolicy.canWrite(caller, o.owner)) {
                                failed.add(new DeleteOutcome.Failure(name, SharedErrorCode.Forbidden,
                                        "only the owner or an admin may delete '" + name + "'"));
                                return Uni.createFrom().voidItem();
                            }
                            return versions.deleteCurrent(bucket, o, CatalogTime.now(), delta).invoke(deleted::add).replaceWithVoid();
                        }))
                .collect().last()
                .call(() -> usage.apply(delta, caller))
                .map(ignored -> new DeleteOutcome(deleted, failed)));
    }
}
