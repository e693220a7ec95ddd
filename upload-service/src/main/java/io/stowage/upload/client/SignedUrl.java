package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/** signing-service's answer: a presigned URL and the headers the client must send with it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignedUrl(String url, String method, Map<String, String> headers, String expiresAt) {
}
