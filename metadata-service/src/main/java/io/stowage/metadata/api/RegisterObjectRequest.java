package io.stowage.metadata.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.catalog.NewObject;
import io.stowage.names.NameRules;

import java.util.List;

/**
 * {@code POST /internal/objects} body, sent by upload-service once the blob is in storage.
 * {@code notExists} (the default) refuses an existing name with 409; {@code overwrite} replaces it;
 * {@code ifMatch} (an etag or version id) replaces it only if it still is that version (412 otherwise).
 * {@code ifNoneMatch: "*"} says the upload carried HTTP's {@code If-None-Match: *}: the name must not exist,
 * as with {@code notExists}, but a taken name is a failed precondition (412 {@code PreconditionFailed}), as
 * HTTP and S3 answer it; {@code notExists} without it keeps the JSON routes' 409 {@code ObjectAlreadyExists}.
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
        String owner,
        String ifNoneMatch) {

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
        if (ifNoneMatch != null && (!ifNoneMatch.equals("*") || replace || ifMatch != null)) {
            throw Details.invalid("ifNoneMatch can only be '*', and cannot go with overwrite or ifMatch");
        }
        return new NewObject(uploadId, bucket, name, blobKey, size, contentType, etag, checksumSha256, null,
                replace, ifMatch,
                Details.of(visibility, sharedWith, category, tags, metadata, cacheControl, maxMetadataBytes), owner);
    }

    /** Whether a taken name fails as a precondition (412) rather than as a conflict (409): {@code ifNoneMatch: "*"}. */
    public boolean takenNameIsPreconditionFailure() {
        return "*".equals(ifNoneMatch);
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
