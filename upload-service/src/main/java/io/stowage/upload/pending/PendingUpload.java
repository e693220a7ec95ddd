package io.stowage.upload.pending;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * An upload a user asked a URL for, kept until it is registered (and afterwards, so that a second
 * registration gets the same answer). {@code objectId} and {@code etag} are set once registered.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PendingUpload(String uploadId,
                            String owner,
                            String bucket,
                            String path,
                            String contentType,
                            long size,
                            String blobKey,
                            String visibility,
                            Instant createdAt,
                            Instant expiresAt,
                            String objectId,
                            String etag) {

    public boolean registered() {
        return objectId != null;
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt);
    }

    public PendingUpload registeredAs(String objectId, String etag) {
        return new PendingUpload(uploadId, owner, bucket, path, contentType, size, blobKey, visibility,
                createdAt, expiresAt, objectId, etag);
    }
}
