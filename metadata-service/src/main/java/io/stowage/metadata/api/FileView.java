package io.stowage.metadata.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.stowage.metadata.catalog.ObjectEntity;

import java.util.List;

/** The contract's File record, with the object's metadata, and for versions whether it is the latest. */
public record FileView(
        String id,
        String bucket,
        String name,
        String versionId,
        String blobKey,
        long size,
        String contentType,
        String etag,
        String checksumSha256,
        String owner,
        String visibility,
        List<String> sharedWith,
        String category,
        List<String> tags,
        @JsonRawValue String metadata,
        String cacheControl,
        String createdAt,
        String updatedAt,
        String lastAccessedAt,
        boolean latest,
        boolean deleteMarker) {

    public static FileView of(ObjectEntity o) {
        return new FileView(o.id.toString(), o.bucket, o.name, o.versionId, o.blobKey, o.size, o.contentType, o.etag,
                o.checksumSha256, o.owner, o.visibility, List.of(o.sharedWith), o.category, List.of(o.tags),
                o.userMetadata == null ? "{}" : o.userMetadata, o.cacheControl,
                o.createdAt.toString(), o.updatedAt.toString(),
                o.lastAccessedAt == null ? null : o.lastAccessedAt.toString(), o.deletedAt == null, o.deleteMarker);
    }
}
