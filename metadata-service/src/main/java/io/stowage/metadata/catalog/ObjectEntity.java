package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Visibility;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "objects")
public class ObjectEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String bucket;

    @Column(nullable = false)
    public String name;

    @Column(name = "version_id", nullable = false)
    public String versionId;

    /** The upload that created the row; null for copies, moves' markers and delete markers. */
    @Column(name = "upload_id", unique = true)
    public String uploadId;

    /** Null only for delete markers. */
    @Column(name = "blob_key")
    public String blobKey;

    @Column(nullable = false)
    public long size;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(nullable = false)
    public String etag;

    @Column(name = "checksum_sha256")
    public String checksumSha256;

    @Column(nullable = false)
    public String owner;

    /** The wire form of {@link Visibility}. */
    @Column(nullable = false)
    public String visibility;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Set when the row stopped being the current one of its name (deleted, overwritten, moved away). */
    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** Users who may read a {@code shared} object besides its owner. */
    @Column(name = "shared_with", nullable = false)
    public String[] sharedWith = new String[0];

    public String category;

    @Column(nullable = false)
    public String[] tags = new String[0];

    /** A JSON object, size-capped at the edge. */
    @Column(name = "user_metadata")
    public String userMetadata;

    @Column(name = "cache_control")
    public String cacheControl;

    @Column(name = "last_accessed_at")
    public Instant lastAccessedAt;

    /** A versioned bucket's record that the name was deleted; it has no blob. */
    @Column(name = "delete_marker", nullable = false)
    public boolean deleteMarker;

    /** A non-current version a versioned bucket keeps; it still holds its blob reference. */
    @Column(nullable = false)
    public boolean retained;

    /** Whether the row is the readable current object of its name. */
    public boolean isLive() {
        return deletedAt == null && !deleteMarker;
    }

    /** Whether the row is a version one can still get (current or kept). */
    public boolean isVersion() {
        return deletedAt == null || retained;
    }

    public Visibility visibilityLevel() {
        return Visibility.parse(visibility);
    }

    /** A new private row of a name, with fresh id and version id; the caller fills in the rest. */
    static ObjectEntity newRow(String bucket, String name, Instant now) {
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

    public static Uni<ObjectEntity> findLive(UUID id) {
        return find("id = ?1 and deletedAt is null and deleteMarker = false", id).firstResult();
    }

    public static Uni<ObjectEntity> findLive(String bucket, String name) {
        return find("bucket = ?1 and name = ?2 and deletedAt is null and deleteMarker = false", bucket, name).firstResult();
    }

    /** The current row of a name: the live object or a delete marker. */
    public static Uni<ObjectEntity> findCurrent(String bucket, String name) {
        return find("bucket = ?1 and name = ?2 and deletedAt is null", bucket, name).firstResult();
    }

    /** A version of a name that can still be read: current or kept. */
    public static Uni<ObjectEntity> findVersion(String bucket, String name, String versionId) {
        return find("bucket = ?1 and name = ?2 and versionId = ?3 and (deletedAt is null or retained = true)",
                bucket, name, versionId).firstResult();
    }

    public static Uni<ObjectEntity> findByUploadId(String uploadId) {
        return find("uploadId", uploadId).firstResult();
    }
}
