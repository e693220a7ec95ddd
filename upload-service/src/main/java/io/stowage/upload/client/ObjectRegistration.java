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
                                 String visibility) {
}
