package io.stowage.signing.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * Answer of {@code POST /v1/sign}. S3 operations: {@code url, method, headers, expiresAt}.
 * Tokens: {@code token, url} (the gateway route, relative), {@code method, expiresAt}. Image URLs:
 * {@code signature, url}. {@code expiresAt} is an ISO-8601 instant.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignResponse(String url, String method, Map<String, String> headers, String expiresAt,
                           String token, String signature) {

    static SignResponse presigned(String url, String method, Map<String, String> headers, String expiresAt) {
        return new SignResponse(url, method, headers, expiresAt, null, null);
    }
}
