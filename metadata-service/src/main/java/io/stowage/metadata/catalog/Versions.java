package io.stowage.metadata.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEventData;
import io.stowage.events.ObjectEvents;
import io.stowage.events.ObjectUpdateData;
import io.stowage.metadata.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * How the rows of one name change: its current object, the versions a versioned bucket keeps and
 * their delete markers. Each change counts the blob references ({@link BlobReferences}) and writes
 * its event to the outbox, numbered by the name's sequence, in the caller's transaction, and adds
 * what it stores or frees to the caller's {@link UsageDelta} (applied by {@link Usage#apply} at the
 * transaction's end); the caller holds the name's lock ({@link NameLocks}).
 */
@ApplicationScoped
public class Versions {

    private final OutboxWriter outbox;
    private final ObjectMapper json;

    public Versions(OutboxWriter outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /** Inserts a new current object, takes a reference on its blob, counts it in {@code usage} and announces it. */
    Uni<ObjectEntity> insertLive(ObjectEntity object, UsageDelta usage) {
        usage.counted(object);
        return object.<ObjectEntity>persistAndFlush()
                .call(() -> BlobReferences.retain(object.blobKey))
                .call(this::emitCreated);
    }

    /**
     * Takes a live current object away from its name: a versioned bucket keeps it as a version
     * behind a delete marker (still counted in the usage), any other bucket drops it, its blob
     * reference and its usage.
     */
    public Uni<ObjectEntity> deleteCurrent(BucketEntity bucket, ObjectEntity object, Instant now, UsageDelta usage) {
        object.deletedAt = now;
        object.updatedAt = now;
        if (bucket.versioned) {
            object.retained = true;
            ObjectEntity marker = ObjectEntity.newRow(object.bucket, object.name, now);
            marker.owner = object.owner;
            marker.visibility = object.visibility;
            marker.contentType = "";
            marker.etag = "";
            marker.deleteMarker = true;
            ObjectEventData data = eventData(object, false);
            return object.persistAndFlush()
                    .chain(() -> marker.persistAndFlush())
                    .chain(() -> emit(ObjectEvents.DELETED, data))
                    .replaceWith(object);
        }
        usage.uncounted(object);
        return object.persistAndFlush()
                .chain(() -> BlobReferences.release(object.blobKey))
                .chain(released -> emit(ObjectEvents.DELETED, eventData(object, released)))
                .replaceWith(object);
    }

    /**
     * Removes one version for good. If it was the current row of a versioned bucket, the newest
     * kept version becomes current again (and announces itself if it is an object, not a marker).
     */
    public Uni<Void> purgeVersion(BucketEntity bucket, ObjectEntity version, Instant now, UsageDelta usage) {
        boolean wasCurrent = version.deletedAt == null;
        usage.uncounted(version);
        if (wasCurrent) {
            version.deletedAt = now;
        }
        version.retained = false;
        version.updatedAt = now;
        Uni<Void> removed = version.persistAndFlush().chain(() -> version.deleteMarker
                ? Uni.createFrom().voidItem()
                : BlobReferences.release(version.blobKey).chain(released -> emit(ObjectEvents.DELETED, eventData(version, released))));
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
                            : emit(ObjectEvents.CREATED, eventData(previous, false)));
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
    Uni<Void> replaceCurrent(BucketEntity bucket, ObjectEntity current, Instant now, UsageDelta usage) {
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
            return current.persistAndFlush().chain(() -> emit(ObjectEvents.DELETED, eventData(current, false)));
        }
        usage.uncounted(current);
        return current.persistAndFlush()
                .chain(() -> BlobReferences.release(current.blobKey))
                .chain(released -> emit(ObjectEvents.DELETED, eventData(current, released)));
    }

    /** Announces an object's current state (created, or rewritten in place). */
    Uni<Void> emitCreated(ObjectEntity object) {
        return emit(ObjectEvents.CREATED, eventData(object, false));
    }

    /**
     * Announces a change of the current object's metadata in place ({@code changed} names the fields),
     * numbered by the name's sequence like its created and deleted events.
     */
    Uni<Void> emitUpdated(ObjectEntity o, List<String> changed) {
        return EventSequences.next(o.bucket, o.name)
                .chain(sequence -> outbox.append(new ObjectUpdateData(o.bucket, o.name, o.versionId, o.size, o.contentType,
                        o.etag, o.owner, o.visibility, o.blobKey, List.copyOf(changed), List.of(o.sharedWith), o.category,
                        List.of(o.tags), metadata(o.userMetadata), o.cacheControl, sequence), CatalogTime.now()))
                .replaceWithVoid();
    }

    /** The stored user metadata (a JSON object the edge checked) as JSON, or null. */
    private JsonNode metadata(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored user metadata is not JSON", e);
        }
    }

    /** Appends an event to the outbox with the name's next sequence number. */
    Uni<Void> emit(String type, ObjectEventData data) {
        return EventSequences.next(data.bucket(), data.name())
                .chain(sequence -> outbox.append(type, withSequence(data, sequence), CatalogTime.now()))
                .replaceWithVoid();
    }

    /** What an event says of a row; its sequence is taken when the event is written. */
    static ObjectEventData eventData(ObjectEntity o, boolean blobReleased) {
        return new ObjectEventData(o.bucket, o.name, o.versionId, o.size, o.contentType, o.etag, o.owner,
                o.visibility, o.blobKey, blobReleased, 0);
    }

    private static ObjectEventData withSequence(ObjectEventData d, long sequence) {
        return new ObjectEventData(d.bucket(), d.name(), d.versionId(), d.size(), d.contentType(), d.etag(), d.owner(),
                d.visibility(), d.blobKey(), d.blobReleased(), sequence);
    }
}
