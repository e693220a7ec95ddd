package io.stowage.metadata.catalog;

/** An uploaded blob to register as an object, as checked by the edge. */
public record NewObject(String uploadId, String bucket, String name, String blobKey, long size, String contentType,
                        String etag, String checksumSha256, Visibility visibility) {
}
