package io.stowage.upload.rules;

import io.stowage.contract.MediaTypes;
import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.client.BucketInfo;
import io.stowage.upload.error.UploadException;

/**
 * A bucket's limits on what lands in it, the same for every upload path (presigned, multipart,
 * direct, resumable): checked before any byte is accepted, and again on the blob where it can be.
 */
public final class BucketLimits {

    private BucketLimits() {
    }

    /** The bucket's size limit (413) and allowed types (415). */
    public static void check(BucketInfo bucket, long size, String contentType) {
        if (bucket.fileSizeLimit() != null && size > bucket.fileSizeLimit()) {
            throw new UploadException(SharedErrorCode.PayloadTooLarge,
                    size + " bytes exceed the bucket's limit of " + bucket.fileSizeLimit());
        }
        if (!MediaTypes.allowed(bucket.allowedMimeTypes(), contentType)) {
            throw new UploadException(SharedErrorCode.InvalidMimeType,
                    "content type '" + contentType + "' is not allowed in bucket '" + bucket.name() + "'");
        }
    }
}
