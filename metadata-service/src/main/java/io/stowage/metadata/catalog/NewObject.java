package io.stowage.metadata.catalog;

import io.stowage.metadata.access.Visibility;


/**
 * An uploaded blob to register as an object, as checked by the edge.
 *
 * @param overwrite replace a live object of the same name (false: the name must not exist, {@code notExists})
 * @param ifMatch   when set, the current object's etag or version id must equal it
 * @param owner     who the object belongs to: the caller, or the user a Stowage service registers it for
 */
public record NewObject(String uploadId, String bucket, String name, String blobKey, long size, String contentType,
                        String etag, String checksumSha256, Visibility visibility, boolean overwrite, String ifMatch,
                        ObjectDetails details, String owner) {
}
