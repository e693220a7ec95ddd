package io.stowage.metadata.rest;

import io.stowage.metadata.catalog.ObjectEntity;

/** The contract's File record. */
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
        String createdAt,
        String updatedAt) {

    static FileView of(ObjectEntity o) {
        return new FileView(o.id.toString(), o.bucket, o.name, o.versionId, o.blobKey, o.size, o.contentType, o.etag,
                o.checksumSha256, o.owner, o.visibility, o.createdAt.toString(), o.updatedAt.toString());
    }
}
