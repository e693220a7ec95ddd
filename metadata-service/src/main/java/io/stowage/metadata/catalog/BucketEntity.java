package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import io.stowage.contract.MediaTypes;
import io.stowage.metadata.error.CatalogException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

@Entity
@Table(name = "buckets")
public class BucketEntity extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "public", nullable = false)
    public boolean isPublic;

    @Column(name = "file_size_limit")
    public Long fileSizeLimit;

    /** Comma-separated; MIME types cannot contain commas. Null means any type. */
    @Column(name = "allowed_mime_types")
    public String allowedMimeTypes;

    /** Quota of stored bytes (current objects and kept versions); null: none. */
    @Column(name = "max_bytes")
    public Long maxBytes;

    /** Quota of stored objects (current objects and kept versions); null: none. */
    @Column(name = "max_objects")
    public Long maxObjects;

    /** Keeps every version on overwrite and delete. */
    @Column(nullable = false)
    public boolean versioned;

    @Column(nullable = false)
    public String owner;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The bucket of that name, or 404 {@code BucketNotFound}. */
    public static Uni<BucketEntity> findExisting(String name) {
        return BucketEntity.<BucketEntity>findById(name).onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(name));
    }

    /** Whether the bucket takes this content type: the one rule of every service ({@link MediaTypes}). */
    public boolean allows(String contentType) {
        return MediaTypes.allowed(allowedMimeTypeList(), contentType);
    }

    public List<String> allowedMimeTypeList() {
        return allowedMimeTypes == null ? null : Arrays.asList(allowedMimeTypes.split(","));
    }
}
