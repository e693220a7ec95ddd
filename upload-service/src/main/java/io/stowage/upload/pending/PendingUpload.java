package io.stowage.upload.pending;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * An upload in progress, kept as {@code uploads/{uploadId}.json} until it is registered (and for a
 * while afterwards, so that a second registration gets the same answer) or swept.
 *
 * @param kind              {@code single} (presigned PUT), {@code multipart} or {@code direct} (streamed through us)
 * @param multipartUploadId S3's id of the multipart upload, when there is one
 * @param partSize          multipart: bytes per part (the last may be shorter)
 * @param partCount         multipart: number of parts
 * @param objectId          set once registered, with {@code etag}
 * @param claimedAt         set by the sweeper replica that is removing this upload
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
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
                            String etag,
                            String kind,
                            String multipartUploadId,
                            Long partSize,
                            Integer partCount,
                            Instant claimedAt) {

    public static final String SINGLE = "single";
    public static final String MULTIPART = "multipart";
    public static final String DIRECT = "direct";

    public static PendingUpload single(String uploadId, String owner, String bucket, String path, String contentType,
                                       long size, String blobKey, String visibility, Instant createdAt, Instant expiresAt) {
        return new PendingUpload(uploadId, owner, bucket, path, contentType, size, blobKey, visibility, createdAt,
                expiresAt, null, null, SINGLE, null, null, null, null);
    }

    public boolean registered() {
        return objectId != null;
    }

    public boolean multipart() {
        return MULTIPART.equals(kind);
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt);
    }

    public PendingUpload registeredAs(String objectId, String etag) {
        return new PendingUpload(uploadId, owner, bucket, path, contentType, size, blobKey, visibility,
                createdAt, expiresAt, objectId, etag, kind, multipartUploadId, partSize, partCount, claimedAt);
    }

    public PendingUpload claimed(Instant at) {
        return new PendingUpload(uploadId, owner, bucket, path, contentType, size, blobKey, visibility,
                createdAt, expiresAt, objectId, etag, kind, multipartUploadId, partSize, partCount, at);
    }
}
