package io.stowage.upload.rest;

import java.util.Map;

/** Answer of {@code POST /v1/files/presigned-url}: PUT the bytes to {@code url} with {@code headers}. */
public record PresignedUrlResponse(String uploadId, String url, String method, Map<String, String> headers, String expiresAt) {
}
