package io.stowage.upload.presigned;

import java.util.Map;

/** An upload URL handed out, under the id that registers it later. */
public record IssuedUrl(String uploadId, String url, String method, Map<String, String> headers, String expiresAt) {
}
