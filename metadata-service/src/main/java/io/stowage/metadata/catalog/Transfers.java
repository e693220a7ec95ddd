package io.stowage.metadata.catalog;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.error.CatalogException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Moves and copies: rows change, bytes never do. A copy is a new row referencing the same blob; a
 * move takes the row to its new name. Both names are locked first, in one global order.
 */
@ApplicationScoped
public class Transfers {

    private static final Logger LOG = Logger.getLogger(Transfers.class);

    private final Versions versions;
    private final Usage usage;

    public Transfers(Versions versions, Usage usage) {
        this.versions = versions;
        this.usage = usage;
    }

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
                throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest, "source and destination are the same object");
            }
            return rewrite(caller, t);
        }
        return BucketEntity.findExisting(t.sourceBucket()).chain(source -> BucketEntity.findExisting(t.destinationBucket())
                .chain(destination -> NameLocks.lockBoth(t)
                        .chain(() -> sourceRow(t))
                        .call(o -> move
                                ? ObjectGuards.requireWritable(caller, o, () -> sourceNotFound(t))
                                : ObjectGuards.requireReadable(caller, o, () -> sourceNotFound(t)))
                        .invoke(o -> {
                            if (move && o.deletedAt != null) {
                                throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest, "version '" + t.sourceVersionId()
                                        + "' of '" + t.sourceName() + "' is not the current object; only the current object "
                                        + "can be moved (a kept version stays in its name's history: copy it instead)");
                            }
                            ObjectGuards.checkLimits(destination, o.size, t.overrides() == null || t.overrides().contentType() == null
                                    ? o.contentType : t.overrides().contentType());
                        })
                        .chain(o -> ObjectEntity.findCurrent(t.destinationBucket(), t.destinationName())
                                .chain(current -> {
                                    ObjectGuards.checkReplaceable(caller, destination, current, t.overwrite(), null,
                                            t.destinationBucket(), t.destinationName());
                                    Instant now = CatalogTime.now();
                                    UsageDelta delta = new UsageDelta();
                                    return versions.replaceCurrent(destination, current, now, delta)
                                            .chain(() -> move
                                                    ? moveRow(source, o, t, now, delta)
                                                    : copyRow(caller, o, t, now, delta))
                                            .call(() -> usage.apply(delta, caller));
                                }))))
                .onFailure(Constraints::isUniqueViolation)
                .transform(e -> CatalogException.Conflict.object(t.destinationBucket(), t.destinationName()))
                .invoke(o -> LOG.infof("object %s/%s %s to %s/%s by %s", t.sourceBucket(), t.sourceName(),
                        move ? "moved" : "copied", t.destinationBucket(), t.destinationName(), caller.subject()));
    }

    /**
     * A copy of an object onto itself (as Supabase allows): its content type, cache-control and user
     * metadata are rewritten in place, by someone who may write it. Its blob, owner and id stay; the
     * change is announced as the object's new state.
     */
    private Uni<ObjectEntity> rewrite(Caller caller, Transfer t) {
        return BucketEntity.findExisting(t.sourceBucket()).chain(bucket -> NameLocks.lockBoth(t)
                        .chain(() -> sourceRow(t))
                        .call(o -> ObjectGuards.requireWritable(caller, o, () -> sourceNotFound(t)))
                        .chain(o -> {
                            if (t.overrides() != null) {
                                ObjectGuards.checkLimits(bucket, o.size, t.overrides().contentType() == null ? o.contentType
                                        : t.overrides().contentType());
                                t.overrides().applyTo(o);
                            }
                            o.updatedAt = CatalogTime.now();
                            return o.<ObjectEntity>persistAndFlush().call(versions::emitCreated);
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
                : new CatalogException.NotFound(SharedErrorCode.ObjectNotFound, "version '" + t.sourceVersionId() + "' of object '"
                        + t.sourceName() + "' not found in bucket '" + t.sourceBucket() + "'");
    }

    private Uni<ObjectEntity> moveRow(BucketEntity source, ObjectEntity object, Transfer t, Instant now, UsageDelta usage) {
        ObjectEventData movedOut = Versions.eventData(object, false);
        if (source.versioned) {
            ObjectEntity moved = cloneRow(object, t, now);
            moved.owner = object.owner;
            return versions.deleteCurrent(source, object, now, usage)
                    .chain(() -> versions.insertLive(moved, usage));
        }
        usage.movedOut(object, object.bucket);
        object.bucket = t.destinationBucket();
        object.name = t.destinationName();
        object.updatedAt = now;
        usage.movedIn(object);
        return object.persistAndFlush()
                .chain(() -> versions.emit(ObjectEvents.DELETED, movedOut))
                .chain(() -> versions.emitCreated(object))
                .replaceWith(object);
    }

    private Uni<ObjectEntity> copyRow(Caller caller, ObjectEntity object, Transfer t, Instant now, UsageDelta usage) {
        ObjectEntity copy = cloneRow(object, t, now);
        copy.owner = caller.subject();
        if (t.overrides() != null) {
            t.overrides().applyTo(copy);
        }
        return versions.insertLive(copy, usage);
    }

    private static ObjectEntity cloneRow(ObjectEntity o, Transfer t, Instant now) {
        ObjectEntity c = ObjectEntity.newRow(t.destinationBucket(), t.destinationName(), now);
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
}
