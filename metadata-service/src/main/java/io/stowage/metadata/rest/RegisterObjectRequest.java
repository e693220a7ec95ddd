package io.stowage.metadata.rest;

import io.stowage.metadata.catalog.CatalogException;
import io.stowage.metadata.catalog.ErrorCode;
import io.stowage.metadata.catalog.Names;
import io.stowage.metadata.catalog.NewObject;
import io.stowage.metadata.catalog.Visibility;

/** {@code POST /internal/objects} body, sent by upload-service once the blob is in storage. */
public record RegisterObjectRequest(
        String uploadId,
        String bucket,
        String name,
        String blobKey,
        Long size,
        String contentType,
        String etag,
        String checksumSha256,
        String visibility) {

    NewObject validated() {
        require("uploadId", uploadId);
        Names.requireBucketName(bucket);
        Names.requireObjectName(name);
        require("blobKey", blobKey);
        if (size == null || size < 0) {
            throw invalid("size must be a number of bytes, 0 or more");
        }
        require("contentType", contentType);
        require("etag", etag);
        return new NewObject(uploadId, bucket, name, blobKey, size, contentType, etag, checksumSha256,
                Visibility.parse(visibility));
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
    }

    private static CatalogException invalid(String message) {
        return new CatalogException.InvalidInput(ErrorCode.InvalidRequest, message);
    }
}
