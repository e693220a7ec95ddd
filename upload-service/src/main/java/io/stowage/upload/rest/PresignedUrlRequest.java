package io.stowage.upload.rest;

/** Body of {@code POST /v1/files/presigned-url}. */
public record PresignedUrlRequest(String bucket, String path, String contentType, Long size, String visibility) {
}
