package io.stowage.upload.rest;

/** Body of {@code POST /v1/files}: registers what was uploaded under {@code uploadId}. */
public record RegisterRequest(String uploadId, String visibility) {
}
