package io.stowage.metadata.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.catalog.Transfer;
import io.stowage.names.NameRules;

/**
 * {@code POST /v1/files/move} and {@code /copy}: destinationBucket defaults to bucket;
 * {@code sourceVersionId} takes that version of the source instead of the current one.
 * Copy only: {@code copyMetadata} (default true); when false the user metadata is not copied and
 * {@code contentType}, {@code cacheControl} replace the source's. {@code contentEncoding} is
 * accepted with them and ignored: the catalog keeps no content encoding. {@code metadata} (a JSON
 * object) is the copy's own user metadata, with or without {@code copyMetadata}.
 */
public record TransferRequest(String bucket, String name, String destinationBucket, String destinationName, Boolean overwrite,
                              String sourceVersionId, Boolean copyMetadata, String cacheControl, String contentType,
                              String contentEncoding, JsonNode metadata) {

    public Transfer validated(boolean move, int maxMetadataBytes) {
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        String toBucket = destinationBucket == null ? bucket : NameRules.requireBucket(destinationBucket);
        NameRules.requireObject(destinationName);
        if (sourceVersionId != null && (sourceVersionId.isBlank() || sourceVersionId.length() > Details.MAX_TEXT
                || sourceVersionId.chars().anyMatch(Character::isISOControl))) {
            throw Details.invalid("sourceVersionId must be a version id");
        }
        boolean overridden = cacheControl != null || contentType != null || contentEncoding != null;
        String ownMetadata = metadata == null || metadata.isNull() ? null
                : Details.of(null, null, null, null, metadata, null, maxMetadataBytes).metadata();
        if (move && (overridden || Boolean.FALSE.equals(copyMetadata) || ownMetadata != null)) {
            throw Details.invalid("a move keeps the object as it is: copyMetadata false, cacheControl, contentType, "
                    + "contentEncoding and metadata are for copy only");
        }
        if (overridden && !Boolean.FALSE.equals(copyMetadata)) {
            throw Details.invalid("cacheControl, contentType and contentEncoding replace the source's only with copyMetadata false");
        }
        Transfer.Overrides overrides = null;
        if (Boolean.FALSE.equals(copyMetadata)) {
            if (contentType != null && (contentType.isBlank() || contentType.length() > Details.MAX_TEXT
                    || contentType.chars().anyMatch(Character::isISOControl))) {
                throw Details.invalid("contentType must be 1-" + Details.MAX_TEXT + " characters without control characters");
            }
            Details.checkText("cacheControl", cacheControl);
            Details.checkText("contentEncoding", contentEncoding);
            overrides = new Transfer.Overrides(false, contentType, cacheControl, ownMetadata);
        } else if (ownMetadata != null) {
            overrides = new Transfer.Overrides(true, null, null, ownMetadata);
        }
        return new Transfer(bucket, name, sourceVersionId, toBucket, destinationName, Boolean.TRUE.equals(overwrite), overrides);
    }
}
