package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of metadata-service's {@code POST /internal/objects}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectRegistration(String uploadId,
                                 String bucket,
                                 String name,
                                 String blobKey,
                                 long size,
                                 String contentType,
                                 String etag,
                                 String visibility,
                                 Boolean overwrite,
                                 Boolean notExists,
                                 String ifMatch) {

    /** A registration without preconditions: an existing name is refused (409). */
    public ObjectRegistration(String uploadId, String bucket, String name, String blobKey, long size,
                              String contentType, String etag, String visibility) {
        this(uploadId, bucket, name, blobKey, size, contentType, etag, visibility, null, null, null);
    }
}
