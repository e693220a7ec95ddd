package io.stowage.signing.presign;

import java.time.Instant;
import java.util.Map;

/** A URL S3 will honour as-is, with the headers the client must send along. */
public record PresignedUrl(String url, String method, Map<String, String> headers, Instant expiresAt) {
}
