package io.stowage.metadata.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.catalog.NewObject;
import io.stowage.names.NameRules;

import java.util.List;

/**
 * {@code POST /internal/objects} body, sent by upload-service once the blob is in storage.
 * {@code notExists} (the default) refuses an existing name with 409; {@code overwrite} replaces it;
 * {@code ifMatch} (an etag or version id) replaces it only if it still is that version (412 otherwise).
 * {@code owner} names whom the object is registered for; only a Stowage service may name someone
 * other than itself (see {@code InternalObjectResource}).
 */
public record RegisterObjectRequest(
        String uploadId,
        String bucket,
        String name,
        String blobKey,
        Long size,
        String contentType,
        String etag,
        String checksumSha256,
        String visibility,
        Boolean overwrite,
        Boolean notExists,
        String ifMatch,
        List<String> sharedWith,
        String category,
        List<String> tags,
        JsonNode metadata,
        String cacheControl,
        String owner) {

    /** The checked request, for {@code owner} (the caller's own id, or whom a service registers for). */
    public NewObject validated(int maxMetadataBytes, String owner) {
        require("uploadId", uploadId);
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        require("blobKey", blobKey);
        if (size == null || size < 0) {
            throw Details.invalid("size must be a number of bytes, 0 or more");
        }
        require("contentType", contentType);
        require("etag", etag);
        boolean replace = Boolean.TRUE.equals(overwrite);
        if (replace && Boolean.TRUE.equals(notExists)) {
            throw Details.invalid("overwrite and notExists cannot both be true");
        }
        if (ifMatch != null && (ifMatch.isEmpty() || Boolean.TRUE.equals(notExists))) {
            throw Details.invalid("ifMatch must be an etag or version id, and cannot go with notExists");
        }
        return new NewObject(uploadId, bucket, name, blobKey, size, contentType, etag, checksumSha256, null,
                replace, ifMatch,
                Details.of(visibility, sharedWith, category, tags, metadata, cacheControl, maxMetadataBytes), owner);
    }

    /** An owner is a user id (an OIDC {@code sub}), as signing-service accepts it in upload tokens. */
    public void requireWellFormedOwner() {
        if (owner != null && (owner.isEmpty() || owner.codePointCount(0, owner.length()) > 255
                || owner.codePoints().anyMatch(Character::isISOControl))) {
            throw Details.invalid("owner must be 1-255 characters without control characters");
        }
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Details.invalid(field + " is required");
        }
    }
}
