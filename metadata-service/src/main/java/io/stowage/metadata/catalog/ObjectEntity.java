package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
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

    @Column(name = "upload_id", nullable = false, unique = true)
    public String uploadId;

    @Column(name = "blob_key", nullable = false)
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

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public Visibility visibilityLevel() {
        return Visibility.parse(visibility);
    }

    public static Uni<ObjectEntity> findLive(UUID id) {
        return find("id = ?1 and deletedAt is null", id).firstResult();
    }

    public static Uni<ObjectEntity> findLive(String bucket, String name) {
        return find("bucket = ?1 and name = ?2 and deletedAt is null", bucket, name).firstResult();
    }

    public static Uni<ObjectEntity> findByUploadId(String uploadId) {
        return find("uploadId", uploadId).firstResult();
    }
}
