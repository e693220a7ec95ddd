package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of metadata-service's {@code POST /internal/objects}. {@code owner} is sent only for an upload
 * made on a user's behalf by a Stowage service; otherwise the owner is the token's subject.
 * {@code cacheControl} and {@code metadata} (the user's JSON object) come with direct uploads;
 * {@code ifNoneMatch: "*"} with a direct upload's {@code If-None-Match: *}, so that a taken name is 412, not 409.
 */
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
                                 String ifMatch,
                                 String owner,
                                 String cacheControl,
                                 JsonNode metadata,
                                 String ifNoneMatch) {

    /** A registration without preconditions: an existing name is refused (409). */
    public ObjectRegistration(String uploadId, String bucket, String name, String blobKey, long size,
                              String contentType, String etag, String visibility) {
        this(uploadId, bucket, name, blobKey, size, contentType, etag, visibility, null, null, null, null, null, null, null);
    }
}
